import ArgumentParser
import Foundation
import Kernel

/// The case filters shared by `case list` and `case count`.
struct CaseFilterOptions: ParsableArguments {
    @Option var region: String?
    @Option var status: String?
    @Option var severity: String?
    @Option var businessLine: String?
    @Option var category: String?
    @Option(help: "true or false.") var sensitive: String?
    @Option(help: "Created at or after (ISO 8601).") var createdFrom: String?
    @Option(help: "Created before (ISO 8601).") var createdBefore: String?
    @Option(help: "Words in the reference or description.") var text: String?
    @Option(help: "true: only cases still being worked; false: only resolved and closed ones.") var open: String?

    func filter() throws(VigilError) -> CaseFilter {
        try CaseFilter.parse(
            region: region, status: status, severity: severity, businessLine: businessLine, category: category,
            sensitive: sensitive, createdFrom: createdFrom, createdBefore: createdBefore, text: text, open: open)
    }
}

extension CaseCommand {
    struct Count: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "count", abstract: "Count the cases you may see that match the filters.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var filters: CaseFilterOptions

        func run() async throws {
            try await CommandRuntime.run(global, domain: IncidentOpsModule.id) { session in
                let filter = try filters.filter()
                let count = try await CaseService(context: session.context).count(filter, by: session.principal)
                try session.output.emit(["count": count]) { Table.record([("cases", String(count))]) }
            }
        }
    }

    static func table(_ links: [CaseLink]) -> Table {
        Table(["link", "case", "reference", "status"], links.map { [$0.kind.rawValue, $0.caseId, $0.reference, $0.status.rawValue] })
    }

    struct Link: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "link", abstract: "Link a case to another.",
            discussion: "Example: vigil incident-ops case link INC-2026-000012 --kind parent-of --to INC-2026-000015")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The case (id or reference).") var key: String
        @Option(help: "\(CaseLinkKind.allCases.map(\.rawValue).joined(separator: ", ")).") var kind: String
        @Option(help: "The other case (id or reference).") var to: String

        func run() async throws {
            try await CommandRuntime.run(global, domain: IncidentOpsModule.id) { session in
                let links = try await CaseService(context: session.context).link(key, kind: kind, to: to, by: session.invocation)
                try session.output.emit(links) { CaseCommand.table(links) }
            }
        }
    }

    struct Links: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "links", abstract: "A case's links.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The case (id or reference).") var key: String

        func run() async throws {
            try await CommandRuntime.run(global, domain: IncidentOpsModule.id) { session in
                let links = try await CaseService(context: session.context).links(key, by: session.principal)
                try session.output.emit(links) { CaseCommand.table(links) }
            }
        }
    }

    struct Merge: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "merge", abstract: "Merge a duplicate into the case it duplicates; both timelines are kept.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The duplicate (id or reference); it is closed.") var duplicate: String
        @Option(help: "The case it duplicates (id or reference).") var into: String

        func run() async throws {
            try await CommandRuntime.run(global, domain: IncidentOpsModule.id) { session in
                let closed = try await CaseService(context: session.context).merge(duplicate, into: into, by: session.invocation)
                try session.output.emit(closed) { CaseCommand.table([closed]) }
            }
        }
    }
}
