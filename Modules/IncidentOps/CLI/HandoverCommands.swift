import ArgumentParser
import Calendars
import Foundation
import Kernel

struct HandoverCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "handover", abstract: "Shift handovers.", subcommands: [Generate.self, List.self, Show.self, Acknowledge.self])

    struct Generate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "generate", abstract: "Generate the handover of the shift ending now (or at --ends).")
        @OptionGroup var global: GlobalOptions
        @Option var region: String
        @Option(help: "Shift end (ISO 8601); default now.") var ends: String?
        @Option(help: "Notes for the incoming coordinator.") var notes: String?

        func run() async throws {
            try await CommandRuntime.run(global, domain: IncidentOpsModule.id) { session in
                guard let code = try DeskEndpoints.region(region) else { return }
                let handover = try await HandoverService(context: session.context).generate(
                    region: code, shiftEndsAt: ends.flatMap(ISO8601.parse), notes: notes, by: session.invocation)
                if session.output.json { try session.output.emit(handover) { Table([], []) } } else { session.output.line(HandoverRenderer.markdown(handover)) }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "Recent handovers of a region.")
        @OptionGroup var global: GlobalOptions
        @Option var region: String

        func run() async throws {
            try await CommandRuntime.run(global, domain: IncidentOpsModule.id) { session in
                guard let code = try DeskEndpoints.region(region) else { return }
                let list = try await HandoverService(context: session.context).list(region: code, by: session.principal)
                try session.output.emit(list) {
                    Table(
                        ["id", "shift ends", "by", "acknowledged", "overdue"],
                        list.map {
                            [$0.id, ISO8601.format($0.shiftEndsAt), $0.generatedBy, $0.acknowledgedBy ?? "-", $0.overdue ? "OVERDUE" : ""]
                        })
                }
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a handover (Markdown; --json for the data).")
        @OptionGroup var global: GlobalOptions
        @Argument var id: String

        func run() async throws {
            try await CommandRuntime.run(global, domain: IncidentOpsModule.id) { session in
                let handover = try await HandoverService(context: session.context).get(id, by: session.principal)
                if session.output.json { try session.output.emit(handover) { Table([], []) } } else { session.output.line(HandoverRenderer.markdown(handover)) }
            }
        }
    }

    struct Acknowledge: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "ack", abstract: "Acknowledge a handover as the incoming coordinator (use --as).")
        @OptionGroup var global: GlobalOptions
        @Argument var id: String

        func run() async throws {
            try await CommandRuntime.run(global, domain: IncidentOpsModule.id) { session in
                let handover = try await HandoverService(context: session.context).acknowledge(id, by: session.invocation)
                try session.output.emit(handover) { Table.record([("id", handover.id), ("acknowledged by", handover.acknowledgedBy ?? "-")]) }
            }
        }
    }
}
