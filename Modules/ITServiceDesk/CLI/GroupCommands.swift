import ArgumentParser
import Foundation
import Kernel
import WorkAssignment

struct GroupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "desk", abstract: "Assignment groups, agents and SLA targets.",
        subcommands: [CreateGroup.self, Groups.self, SetAgent.self, Agents.self, Targets.self, SetTarget.self])

    struct CreateGroup: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "create-group", abstract: "Add an assignment group.")
        @OptionGroup var global: GlobalOptions
        @Option var region: String
        @Option var name: String
        @Option(name: .customLong("category"), help: "A category it takes (repeat); none: the catch-all group.") var categories: [String] = []
        @Option(help: "\(AssignmentStrategy.allCases.map(\.rawValue).joined(separator: ", ")).") var strategy: String
        @Option var requiredSkill: String?

        func run() async throws {
            try await CommandRuntime.run(global, domain: ITServiceDeskModule.id) { session in
                let group = try await GroupService(context: session.context).createGroup(
                    GroupInput(region: region, name: name, categories: categories, strategy: strategy, requiredSkill: requiredSkill), by: session.invocation)
                try session.output.emit(group) { GroupCommand.groupTable([group]) }
            }
        }
    }

    static func groupTable(_ groups: [AssignmentGroup]) -> Table {
        Table(
            ["region", "name", "strategy", "categories", "members"],
            groups.map {
                [
                    $0.region, $0.name, $0.strategy.rawValue, $0.categories.isEmpty ? "(all others)" : $0.categories.joined(separator: ","),
                    $0.members.joined(separator: ", "),
                ]
            })
    }

    struct Groups: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "groups", abstract: "List assignment groups.")
        @OptionGroup var global: GlobalOptions
        @Option var region: String?

        func run() async throws {
            try await CommandRuntime.run(global, domain: ITServiceDeskModule.id) { session in
                let groups = try await GroupService(context: session.context).groups(region: try ITEndpoints.region(region), by: session.principal)
                try session.output.emit(groups) { GroupCommand.groupTable(groups) }
            }
        }
    }

    struct SetAgent: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set-agent", abstract: "Register an agent or change their skills, capacity, availability and groups.")
        @OptionGroup var global: GlobalOptions
        @Option var email: String
        @Option var region: String
        @Option(name: .customLong("skill")) var skills: [String] = []
        @Option var capacity: Int
        @Flag(help: "Not at work now (availability-aware groups skip them).") var away = false
        @Option(name: .customLong("group")) var groups: [String] = []

        func run() async throws {
            try await CommandRuntime.run(global, domain: ITServiceDeskModule.id) { session in
                let agent = try await GroupService(context: session.context).setAgent(
                    AgentInput(email: email, region: region, skills: skills, capacity: capacity, available: !away, groups: groups), by: session.invocation)
                try session.output.emit(agent) { GroupCommand.agentTable([agent]) }
            }
        }
    }

    static func agentTable(_ agents: [ITAgent]) -> Table {
        Table(
            ["agent", "region", "load", "available", "skills"],
            agents.map {
                [$0.actor, $0.region, "\($0.activeTickets)/\($0.capacity)", $0.available ? "yes" : "no", $0.skills.joined(separator: ",")]
            })
    }

    struct Agents: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "agents", abstract: "List agents with their load.")
        @OptionGroup var global: GlobalOptions
        @Option var region: String?

        func run() async throws {
            try await CommandRuntime.run(global, domain: ITServiceDeskModule.id) { session in
                let agents = try await GroupService(context: session.context).agents(region: try ITEndpoints.region(region), by: session.principal)
                try session.output.emit(agents) { GroupCommand.agentTable(agents) }
            }
        }
    }

    struct Targets: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "sla-targets", abstract: "Business minutes to own and resolve, per type and priority.")
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await CommandRuntime.run(global, domain: ITServiceDeskModule.id) { session in
                let targets = try await SLATargetService(context: session.context).targets(by: session.principal)
                try session.output.emit(targets) {
                    Table(
                        ["type", "priority", "own (min)", "resolve (min)", "set"],
                        targets.map { [$0.type.rawValue, $0.priority, String($0.ownMinutes), String($0.resolveMinutes), $0.isDefault ? "built-in" : "set"] })
                }
            }
        }
    }

    struct SetTarget: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "set-sla-target", abstract: "Set the targets of a type and priority (new tickets).")
        @OptionGroup var global: GlobalOptions
        @Option var type: String
        @Option var priority: String
        @Option var ownMinutes: Int
        @Option var resolveMinutes: Int

        func run() async throws {
            try await CommandRuntime.run(global, domain: ITServiceDeskModule.id) { session in
                let target = try await SLATargetService(context: session.context).set(
                    type: type, priority: priority, ownMinutes: ownMinutes, resolveMinutes: resolveMinutes, by: session.invocation)
                try session.output.emit(target) {
                    Table.record([
                        ("type", target.type.rawValue), ("priority", target.priority), ("own", "\(target.ownMinutes) min"),
                        ("resolve", "\(target.resolveMinutes) min"),
                    ])
                }
            }
        }
    }
}
