import ArgumentParser
import Calendars
import Foundation
import Kernel

extension CaseCommand {
    struct Transition: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "transition",
            abstract: "Move a case through its lifecycle at the version you read.",
            discussion:
                "Example: vigil incident-ops case transition INC-2026-000001 --expect-version 3 --to waiting --waiting-on authorities --note 'B.O. requested'"
        )
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Case id or reference.") var id: String
        @Option(help: "The version you read (case show).") var expectVersion: Int
        @Option(help: "The next status: \(CaseStatus.allCases.filter { $0 != .assigned }.map(\.rawValue).joined(separator: ", ")).") var to: String
        @Option(help: "Whom the case waits on: \(WaitingOn.allCases.map(\.rawValue).joined(separator: ", ")).") var waitingOn: String?
        @Option(help: "How it was resolved: \(ResolutionCode.allCases.map(\.rawValue).joined(separator: ", ")).") var resolutionCode: String?
        @Option(help: "Why; recorded on the timeline.") var note: String?

        func run() async throws {
            let input = TransitionInput(to: to, waitingOn: waitingOn, resolutionCode: resolutionCode, note: note)
            try await CommandRuntime.run(global, domain: IncidentOpsModule.id) { session in
                let incident = try await CaseService(context: session.context).transition(id, input, expectedVersion: expectVersion, by: session.invocation)
                try session.output.emit(incident) { CaseCommand.detail(incident) }
            }
        }
    }

    struct Note: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "note", abstract: "Add a note to a case's timeline.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Case id or reference.") var id: String
        @Argument(help: "The note.") var text: String
        @Flag(help: "The note may be shared with the reporter.") var external = false

        func run() async throws {
            try await CommandRuntime.run(global, domain: IncidentOpsModule.id) { session in
                let entry = try await CaseService(context: session.context).addNote(
                    id, NoteInput(text: text, visibility: external ? "external" : "internal"), by: session.invocation)
                try session.output.emit(entry) { CaseCommand.timelineTable([entry]) }
            }
        }
    }

    struct Timeline: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "timeline", abstract: "Show a case's timeline, oldest first.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Case id or reference.") var id: String
        @Option(help: "Entries per page, 1 to 200.") var limit: Int = 200
        @Option(help: "The cursor printed after the previous page.") var cursor: String?

        func run() async throws {
            try await CommandRuntime.run(global, domain: IncidentOpsModule.id) { session in
                let page = try await CaseService(context: session.context).timeline(
                    id, page: try PageRequest(limit: String(limit), cursor: cursor), by: session.principal)
                try session.output.emit(page) { CaseCommand.timelineTable(page.items) }
                if let next = page.nextCursor { session.output.note("more: --cursor \(next)") }
            }
        }
    }

    static func timelineTable(_ entries: [TimelineEntry]) -> Table {
        Table(
            ["at", "actor", "kind", "visibility", "text", "details"],
            entries.map { entry in
                [ISO8601.format(entry.at), entry.actor, entry.kind.rawValue, entry.visibility.rawValue, entry.text ?? "", entry.details.jsonText]
            })
    }
}
