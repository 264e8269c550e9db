import ArgumentParser
import Calendars
import Foundation
import Kernel

struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "report", abstract: "The desk report of a period (JSON with --json, or --format csv|html).")

    @OptionGroup var global: GlobalOptions
    @Option var region: String?
    @Option(help: "shift, day (default), week or month, ending at --to or now.") var period: String?
    @Option(help: "Start (ISO 8601), with --to.") var from: String?
    @Option(help: "End (ISO 8601).") var to: String?
    @Option(help: "text (default), csv or html.") var format: String = "text"

    func run() async throws {
        try await CommandRuntime.run(global, domain: IncidentOpsModule.id) { session in
            let (start, end) = try ReportService.bounds(
                period: period.flatMap(ReportService.Period.init(rawValue:)), from: from.flatMap(ISO8601.parse),
                to: to.flatMap(ISO8601.parse), now: session.context.clock.now())
            let report = try await ReportService(context: session.context).report(
                region: try DeskEndpoints.region(region), from: start, to: end, by: session.principal)
            switch format {
            case "csv": session.output.line(ReportRenderer.csv(report))
            case "html": session.output.line(ReportRenderer.html(report))
            default: try session.output.emit(report) { Table(["metric", "dimension", "value"], ReportRenderer.rows(report)) }
            }
        }
    }
}
