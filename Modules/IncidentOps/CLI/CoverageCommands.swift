import ArgumentParser
import Calendars
import Foundation
import Kernel

struct CoverageCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "coverage", abstract: "Hourly coverage of a region: who is on shift, capacity, expected cases, gaps.")
    @OptionGroup var global: GlobalOptions
    @Option var region: String
    @Option(help: "Start (ISO 8601); default now.", transform: ArgumentValue.instant) var from: Date?
    @Option(help: "End (ISO 8601); default 24 hours after the start, at most 14 days.", transform: ArgumentValue.instant) var to: Date?

    func run() async throws {
        try await CommandRuntime.run(global, domain: IncidentOpsModule.id) { session in
            let slots = try await CoverageService(context: session.context).coverage(
                region: try DeskEndpoints.requiredRegion(region), from: from, to: to, by: session.principal)
            try session.output.emit(slots) {
                Table(
                    ["from", "analysts", "specialists", "coordinators", "capacity", "expected cases", "gaps"],
                    slots.map {
                        [
                            ISO8601.format($0.from), String($0.analysts), String($0.specialists), String($0.coordinators), String($0.capacity),
                            String(format: "%.1f", $0.expectedCases), $0.gaps.isEmpty ? "-" : $0.gaps.joined(separator: ", "),
                        ]
                    })
            }
        }
    }
}

struct WorkloadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "workload", abstract: "The desk now: each analyst's load and SLA trouble, each queue's wait.")
    @OptionGroup var global: GlobalOptions
    @Option var region: String

    func run() async throws {
        try await CommandRuntime.run(global, domain: IncidentOpsModule.id) { session in
            let workload = try await CoverageService(context: session.context).workload(region: try DeskEndpoints.requiredRegion(region), by: session.principal)
            try session.output.emit(workload) {
                Table(
                    ["analyst", "on shift", "load", "SLA breached", "SLA at risk", "oldest open"],
                    workload.analysts.map {
                        [
                            $0.analyst, $0.onShift ? "yes" : "no", "\($0.activeCases)/\($0.capacity)", String($0.slaBreached), String($0.slaAtRisk),
                            $0.oldestOpenAt.map(ISO8601.format) ?? "-",
                        ]
                    })
            }
            session.output.note(
                "\n"
                    + Table(
                        ["queue", "open", "waiting", "oldest waiting"],
                        workload.queues.map {
                            [$0.name, String($0.open), String($0.waiting), $0.oldestWaitingAt.map(ISO8601.format) ?? "-"]
                        }
                    ).rendered)
        }
    }
}
