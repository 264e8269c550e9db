import ArgumentParser
import Calendars
import Foundation
import Kernel

struct TicketCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ticket", abstract: "IT tickets: raise, list, show, move, assign, approve, link, rate.",
        subcommands: [Open.self, List.self, Show.self, Transition.self, Assign.self, Approve.self, Link.self, Survey.self, Scan.self])

    static func detail(_ ticket: Ticket) -> Table {
        var fields: [(String, String)] = [
            ("reference", ticket.reference), ("type", ticket.type.rawValue), ("category", ticket.category), ("title", ticket.title),
            ("priority", "\(ticket.priority) (impact \(ticket.impact), urgency \(ticket.urgency))"),
            ("status", ticket.status.rawValue + (ticket.pendingReason.map { " (\($0))" } ?? "")),
            ("requester", ticket.requester), ("assignee", ticket.assigneeActor ?? "-"),
        ]
        if ticket.type == .change { fields.append(("approval", ticket.approval.rawValue + (ticket.approvalBy.map { " by \($0)" } ?? ""))) }
        for clock in ticket.clocks {
            fields.append(
                (
                    "time to \(clock.kind.rawValue)",
                    "\(clock.state.rawValue), due \(clock.dueAt.map(ISO8601.format) ?? "-") (target \(clock.targetSeconds / 60) business min, spent \(clock.spentSeconds / 60))"
                ))
        }
        if let resolution = ticket.resolution { fields.append(("resolution", resolution)) }
        if let score = ticket.satisfaction { fields.append(("satisfaction", "\(score)/5 \(ticket.satisfactionComment ?? "")")) }
        fields.append(("version", String(ticket.version)))
        return Table.record(fields)
    }

    struct Open: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "open", abstract: "Raise a ticket.",
            discussion:
                "Example: vigil it-service-desk ticket open --type incident --category printing --site SP-HQ --impact 2 --urgency 2 --title 'Printer 3rd floor jams' --description '…'"
        )
        @OptionGroup var global: GlobalOptions
        @Option(help: "\(TicketType.allCases.map(\.rawValue).joined(separator: ", ")).") var type: String
        @Option(help: "\(TicketCategory.all.joined(separator: ", ")).") var category: String
        @Option var site: String
        @Option(help: "1 whole site, 2 a team, 3 one person.") var impact: Int
        @Option(help: "1 work stopped, 2 slowed, 3 can wait.") var urgency: Int
        @Option var title: String
        @Option var description: String
        @Option(help: "Raise for someone else (their email).") var requester: String?
        @Option(help: "Parent ticket reference.") var parent: String?

        func run() async throws {
            let input = TicketInput(
                type: type, category: category, title: title, description: description, site: site, impact: impact, urgency: urgency,
                requester: requester, parent: parent)
            try await CommandRuntime.run(global, domain: ITServiceDeskModule.id) { session in
                let ticket = try await TicketService(context: session.context).open(input, by: session.invocation)
                try session.output.emit(ticket) { TicketCommand.detail(ticket) }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List tickets, newest first.")
        @OptionGroup var global: GlobalOptions
        @Option var region: String?
        @Option var site: String?
        @Option var status: TicketStatus?
        @Option var type: TicketType?
        @Option var limit: Int = 50
        @Option var cursor: String?

        func run() async throws {
            var filter = TicketFilter(region: try ITEndpoints.region(region), site: site)
            filter.status = status
            filter.type = type
            try await CommandRuntime.run(global, domain: ITServiceDeskModule.id) { session in
                let page = try await TicketService(context: session.context).list(
                    filter, page: try PageRequest(limit: String(limit), cursor: cursor), by: session.principal)
                try session.output.emit(page) {
                    Table(
                        ["reference", "type", "priority", "status", "assignee", "resolve due", "title"],
                        page.items.map { ticket in
                            let resolve = ticket.clocks.first { $0.kind == .resolve }
                            return [
                                ticket.reference, ticket.type.rawValue, ticket.priority, ticket.status.rawValue, ticket.assigneeActor ?? "-",
                                resolve.map { "\($0.state.rawValue) \($0.dueAt.map(ISO8601.format) ?? "")" } ?? "-", ticket.title,
                            ]
                        })
                }
                if let next = page.nextCursor { session.output.note("more: --cursor \(next)") }
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a ticket with its deadlines.")
        @OptionGroup var global: GlobalOptions
        @Argument var id: String

        func run() async throws {
            try await CommandRuntime.run(global, domain: ITServiceDeskModule.id) { session in
                let ticket = try await TicketService(context: session.context).get(id, by: session.principal)
                try session.output.emit(ticket) { TicketCommand.detail(ticket) }
            }
        }
    }

    struct Transition: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "transition", abstract: "Move a ticket at the version you read.",
            discussion: "Example: vigil it-service-desk ticket transition IT-2026-000001 --expect-version 2 --to pending --note waiting-vendor")
        @OptionGroup var global: GlobalOptions
        @Argument var id: String
        @Option var expectVersion: Int
        @Option(help: "\(TicketStatus.allCases.filter { $0 != .assigned }.map(\.rawValue).joined(separator: ", ")).") var to: TicketStatus
        @Option(help: "Resolution, reason, or what it waits for (\(PendingReason.allCases.map(\.rawValue).joined(separator: ", "))).") var note: String?

        func run() async throws {
            try await CommandRuntime.run(global, domain: ITServiceDeskModule.id) { session in
                let ticket = try await TicketService(context: session.context).transition(
                    id, to: to, note: note, expectedVersion: expectVersion, by: session.invocation)
                try session.output.emit(ticket) { TicketCommand.detail(ticket) }
            }
        }
    }

    struct Assign: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "assign", abstract: "Assign to an agent, or again by the group's strategy.")
        @OptionGroup var global: GlobalOptions
        @Argument var id: String
        @Option var expectVersion: Int
        @Option(help: "The agent's email; omit to assign by the group's strategy.") var to: String?

        func run() async throws {
            try await CommandRuntime.run(global, domain: ITServiceDeskModule.id) { session in
                let ticket = try await TicketService(context: session.context).assign(id, to: to, expectedVersion: expectVersion, by: session.invocation)
                try session.output.emit(ticket) { TicketCommand.detail(ticket) }
            }
        }
    }

    struct Approve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "approve", abstract: "Approve (or --reject) a change.")
        @OptionGroup var global: GlobalOptions
        @Argument var id: String
        @Option var expectVersion: Int
        @Flag var reject = false
        @Option var note: String?

        func run() async throws {
            try await CommandRuntime.run(global, domain: ITServiceDeskModule.id) { session in
                let ticket = try await TicketService(context: session.context).decide(
                    id, approve: !reject, note: note, expectedVersion: expectVersion, by: session.invocation)
                try session.output.emit(ticket) { TicketCommand.detail(ticket) }
            }
        }
    }

    struct Link: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "link", abstract: "Link a ticket to a problem, change, parent or asset.")
        @OptionGroup var global: GlobalOptions
        @Argument var id: String
        @Option(help: "\(TicketLinkKind.allCases.map(\.rawValue).joined(separator: ", ")).") var kind: TicketLinkKind
        @Option(help: "Ticket reference or asset tag.") var target: String

        func run() async throws {
            try await CommandRuntime.run(global, domain: ITServiceDeskModule.id) { session in
                let links = try await TicketService(context: session.context).link(id, kind: kind, to: target, by: session.invocation)
                try session.output.emit(links) { Table(["kind", "target", "status", "title"], links.map { [$0.kind, $0.target, $0.status, $0.title] }) }
            }
        }
    }

    struct Survey: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "rate", abstract: "Rate a resolved ticket you raised (1-5).")
        @OptionGroup var global: GlobalOptions
        @Argument var id: String
        @Option var score: Int
        @Option var comment: String?

        func run() async throws {
            try await CommandRuntime.run(global, domain: ITServiceDeskModule.id) { session in
                let ticket = try await TicketService(context: session.context).survey(id, score: score, comment: comment, by: session.invocation)
                try session.output.emit(ticket) { TicketCommand.detail(ticket) }
            }
        }
    }

    struct Scan: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "scan-sla", abstract: "Look for breached ticket clocks now (the server does this in the background).")
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await CommandRuntime.run(global, domain: ITServiceDeskModule.id) { session in
                let breached = try await TicketSLAScanner(context: session.context).scan(limit: 10_000)
                session.output.line(session.output.json ? "{\"breached\":\(breached)}" : "\(breached) clocks breached")
            }
        }
    }
}
