import ArgumentParser
import Calendars
import Foundation
import Kernel

struct EscalationCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "escalation", abstract: "Escalations: the inbox, acknowledging and de-escalating.",
        subcommands: [Inbox.self, Acknowledge.self, Close.self, Advance.self, Policy.self, SetPolicy.self])

    static func table(_ escalations: [Escalation]) -> Table {
        Table(
            ["id", "case", "region", "trigger", "level", "roles", "state", "raised", "next level"],
            escalations.map {
                [
                    $0.id, $0.caseId, $0.region, $0.trigger.rawValue, String($0.level), $0.targetRoles.joined(separator: ","), $0.state.rawValue,
                    ISO8601.format($0.raisedAt), $0.nextLevelAt.map(ISO8601.format) ?? "-",
                ]
            })
    }

    struct Inbox: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "inbox", abstract: "Open escalations, oldest first.")
        @OptionGroup var global: GlobalOptions
        @Option var region: String?
        @Option(help: "open (default), acknowledged or closed.") var state: String?

        func run() async throws {
            try await CommandRuntime.run(global, domain: IncidentOpsModule.id) { session in
                let list = try await EscalationService(context: session.context).inbox(
                    region: try DeskEndpoints.region(region),
                    state: state.flatMap(Escalation.State.init(rawValue:)), by: session.principal)
                try session.output.emit(list) { EscalationCommand.table(list) }
            }
        }
    }

    struct Acknowledge: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "ack", abstract: "Acknowledge an escalation.")
        @OptionGroup var global: GlobalOptions
        @Argument var id: String

        func run() async throws {
            try await CommandRuntime.run(global, domain: IncidentOpsModule.id) { session in
                let escalation = try await EscalationService(context: session.context).acknowledge(id, by: session.invocation)
                try session.output.emit(escalation) { EscalationCommand.table([escalation]) }
            }
        }
    }

    struct Close: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "close", abstract: "De-escalate.")
        @OptionGroup var global: GlobalOptions
        @Argument var id: String

        func run() async throws {
            try await CommandRuntime.run(global, domain: IncidentOpsModule.id) { session in
                let escalation = try await EscalationService(context: session.context).close(id, reason: session.invocation.reason, by: session.invocation)
                try session.output.emit(escalation) { EscalationCommand.table([escalation]) }
            }
        }
    }

    struct Advance: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "advance", abstract: "Climb overdue escalations now (the server does it every 30 s).")
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await CommandRuntime.run(global, domain: IncidentOpsModule.id) { session in
                try session.principal.require(IncidentOpsPermissions.caseAssign)
                let count = try await EscalationService(context: session.context).advanceDue()
                try session.output.emit(["advanced": count]) { Table.record([("advanced", String(count))]) }
            }
        }
    }
}
