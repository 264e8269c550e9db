import ArgumentParser
import Calendars
import Foundation
import Kernel
import WorkAssignment

struct QueueCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "queue", abstract: "Queues and their assignment strategies.", subcommands: [Create.self, List.self, Rebalance.self])

    static func table(_ queues: [CaseQueue]) -> Table {
        Table(
            ["id", "region", "name", "line", "category", "skill", "language", "strategy"],
            queues.map {
                [
                    $0.id, $0.region, $0.name, $0.businessLine?.rawValue ?? "*", $0.category ?? "*", $0.requiredSkill ?? "-", $0.requiredLanguage ?? "-",
                    $0.strategy.rawValue,
                ]
            })
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "create", abstract: "Create a queue.",
            discussion: "Example: vigil incident-ops queue create --region BR-SP --name 'Drivers SP' --business-line drivers --strategy availability-aware")
        @OptionGroup var global: GlobalOptions
        @Option var region: String
        @Option var name: String
        @Option var businessLine: String?
        @Option var category: String?
        @Option var skill: String?
        @Option var language: String?
        @Option(help: "\(AssignmentStrategy.allCases.map(\.rawValue).joined(separator: ", ")).") var strategy: String

        func run() async throws {
            let input = QueueInput(
                region: region, name: name, businessLine: businessLine, category: category, requiredSkill: skill, requiredLanguage: language, strategy: strategy
            )
            try await CommandRuntime.run(global, domain: IncidentOpsModule.id) { session in
                let queue = try await DeskService(context: session.context).createQueue(input, by: session.invocation)
                try session.output.emit(queue) { QueueCommand.table([queue]) }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List queues.")
        @OptionGroup var global: GlobalOptions
        @Option var region: String?

        func run() async throws {
            try await CommandRuntime.run(global, domain: IncidentOpsModule.id) { session in
                let queues = try await DeskService(context: session.context).queues(region: try DeskEndpoints.region(region), by: session.principal)
                try session.output.emit(queues) { QueueCommand.table(queues) }
            }
        }
    }

    struct Rebalance: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "rebalance", abstract: "Assign a queue's waiting cases as far as capacity allows.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Queue id.") var id: String

        func run() async throws {
            try await CommandRuntime.run(global, domain: IncidentOpsModule.id) { session in
                let count = try await CaseService(context: session.context).rebalance(queueID: id, by: session.invocation)
                try session.output.emit(["assigned": count]) { Table.record([("assigned", String(count))]) }
            }
        }
    }
}

struct AnalystCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyst", abstract: "Analysts: skills, languages, capacity.", subcommands: [SetAnalyst.self, List.self])

    static func table(_ analysts: [Analyst]) -> Table {
        Table(
            ["analyst", "region", "load", "skills", "languages", "sensitive", "last assigned"],
            analysts.map {
                [
                    $0.actor, $0.region, "\($0.activeCases)/\($0.capacity)", $0.skills.joined(separator: ","), $0.languages.joined(separator: ","),
                    $0.sensitiveOK ? "yes" : "no", $0.lastAssignedAt.map(ISO8601.format) ?? "-",
                ]
            })
    }

    struct SetAnalyst: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set", abstract: "Register an analyst or change them.",
            discussion:
                "Example: vigil incident-ops analyst set --email ana@example.com --region BR-SP --skill medical --language pt-BR --language en --capacity 6")
        @OptionGroup var global: GlobalOptions
        @Option var email: String
        @Option var region: String
        @Option(name: .customLong("skill"), help: "A skill (repeat).") var skills: [String] = []
        @Option(name: .customLong("language"), help: "A language: \(DeskLanguage.all.joined(separator: ", ")) (repeat).") var languages: [String] = []
        @Option(help: "Open cases at most.") var capacity: Int
        @Flag(help: "May take sensitive cases.") var sensitive = false

        func run() async throws {
            let input = AnalystInput(email: email, region: region, skills: skills, languages: languages, capacity: capacity, sensitiveOK: sensitive)
            try await CommandRuntime.run(global, domain: IncidentOpsModule.id) { session in
                let analyst = try await DeskService(context: session.context).setAnalyst(input, by: session.invocation)
                try session.output.emit(analyst) { AnalystCommand.table([analyst]) }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "Analysts with their load.")
        @OptionGroup var global: GlobalOptions
        @Option var region: String?

        func run() async throws {
            try await CommandRuntime.run(global, domain: IncidentOpsModule.id) { session in
                let analysts = try await DeskService(context: session.context).analysts(region: try DeskEndpoints.region(region), by: session.principal)
                try session.output.emit(analysts) { AnalystCommand.table(analysts) }
            }
        }
    }
}

struct RosterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "roster", abstract: "The shift roster.", subcommands: [Add.self, Rotate.self, Show.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add", abstract: "Put someone on a shift.",
            discussion:
                "Example: vigil incident-ops roster add --email ana@example.com --region BR-SP --role analyst --from 2026-11-25T06:00:00-03:00 --to 2026-11-25T14:00:00-03:00"
        )
        @OptionGroup var global: GlobalOptions
        @Option var email: String
        @Option var region: String
        @Option(help: "analyst, specialist or coordinator.") var role: String
        @Option(help: "Start (ISO 8601).", transform: ArgumentValue.instant) var from: Date
        @Option(help: "End (ISO 8601).", transform: ArgumentValue.instant) var to: Date
        @Option(help: "planned (default), swap or override.") var kind: String?
        @Option(help: "Why (required for swaps and overrides).") var note: String?

        func run() async throws {
            let input = ShiftInput(email: email, region: region, role: role, startsAt: from, endsAt: to, kind: kind, note: note)
            try await CommandRuntime.run(global, domain: IncidentOpsModule.id) { session in
                let entry = try await DeskService(context: session.context).addShift(input, by: session.invocation)
                try session.output.emit(entry) {
                    Table.record([
                        ("id", entry.id), ("region", entry.region), ("role", entry.role.rawValue), ("from", ISO8601.format(entry.startsAt)),
                        ("to", ISO8601.format(entry.endsAt)), ("kind", entry.kind.rawValue), ("approved by", entry.approvedBy ?? "-"),
                    ])
                }
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Who is on shift over a period (default the next 24 hours).")
        @OptionGroup var global: GlobalOptions
        @Option var region: String
        @Option var from: String?
        @Option var to: String?

        func run() async throws {
            try await CommandRuntime.run(global, domain: IncidentOpsModule.id) { session in
                guard let code = try DeskEndpoints.region(region) else { return }
                let start = from.flatMap(ISO8601.parse) ?? session.context.clock.now()
                let end = to.flatMap(ISO8601.parse) ?? start.addingTimeInterval(86_400)
                let entries = try await DeskService(context: session.context).roster(region: code, from: start, to: end, by: session.principal)
                try session.output.emit(entries) {
                    Table(
                        ["from", "to", "role", "user", "kind", "approved by", "note"],
                        entries.map {
                            [
                                ISO8601.format($0.startsAt), ISO8601.format($0.endsAt), $0.role.rawValue, $0.userId, $0.kind.rawValue, $0.approvedBy ?? "-",
                                $0.note ?? "",
                            ]
                        })
                }
            }
        }
    }
}

extension CaseCommand {
    struct Assign: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "assign", abstract: "Assign or reassign a case to an analyst.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Case id or reference.") var id: String
        @Option(help: "The analyst's email.") var to: String
        @Option(help: "The version you read.") var expectVersion: Int
        @Flag(help: "Even if the analyst is at capacity (audited).") var overCapacity = false

        func run() async throws {
            try await CommandRuntime.run(global, domain: IncidentOpsModule.id) { session in
                let incident = try await CaseService(context: session.context).assign(
                    id, to: to, overCapacity: overCapacity, expectedVersion: expectVersion, by: session.invocation)
                try session.output.emit(incident) { CaseCommand.detail(incident) }
            }
        }
    }

    struct Claim: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "claim", abstract: "Take a case for yourself (use --as).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Case id or reference.") var id: String
        @Option(help: "The version you read.") var expectVersion: Int

        func run() async throws {
            try await CommandRuntime.run(global, domain: IncidentOpsModule.id) { session in
                let incident = try await CaseService(context: session.context).claim(id, expectedVersion: expectVersion, by: session.invocation)
                try session.output.emit(incident) { CaseCommand.detail(incident) }
            }
        }
    }
}
