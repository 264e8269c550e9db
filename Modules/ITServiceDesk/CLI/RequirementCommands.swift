import ArgumentParser
import Foundation
import Kernel
import Monetary

struct RequirementCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "requirement", abstract: "IT requirements and their response plans.",
        subcommands: [Add.self, List.self, Show.self, Triage.self, AddTask.self, UpdateTask.self])

    static func detail(_ requirement: Requirement) -> Table {
        var fields: [(String, String)] = [
            ("reference", requirement.reference), ("title", requirement.title), ("site", requirement.site), ("priority", requirement.priority),
            ("status", requirement.status.rawValue + (requirement.decisionReason.map { " (\($0))" } ?? "")),
            ("estimated cost", "\(requirement.currency) \(MoneyText.text(requirement.estimatedCost, currency: requirement.currency))"),
            ("plan progress", "\(requirement.progress)%"), ("version", String(requirement.version)),
        ]
        for task in requirement.tasks {
            fields.append(("task \(task.id.prefix(8))", "\(task.title) — \(task.owner), due \(task.dueDate), \(task.status.rawValue) \(task.progress)%"))
        }
        return Table.record(fields)
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add", abstract: "Raise an IT requirement.")
        @OptionGroup var global: GlobalOptions
        @Option var title: String
        @Option var businessNeed: String
        @Option var site: String
        @Option(help: "YYYY-MM-DD") var desiredDate: String?
        @Option(help: "low, medium, high, critical.") var priority: String = "medium"
        @Option(help: "In the currency's units.") var estimatedCost: String = "0"
        @Option var currency: String = "BRL"

        func run() async throws {
            guard let cost = MoneyText.minorUnits(estimatedCost, currency: currency.uppercased()) else {
                throw CommandFailure.usage("--estimated-cost must be an amount")
            }
            try await CommandRuntime.run(global, domain: ITServiceDeskModule.id) { session in
                let requirement = try await RequirementService(context: session.context).create(
                    RequirementInput(
                        title: title, businessNeed: businessNeed, site: site, desiredDate: desiredDate, priority: priority, estimatedCost: cost,
                        currency: currency.uppercased()),
                    by: session.invocation)
                try session.output.emit(requirement) { RequirementCommand.detail(requirement) }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List requirements.")
        @OptionGroup var global: GlobalOptions
        @Option var status: RequirementStatus?

        func run() async throws {
            try await CommandRuntime.run(global, domain: ITServiceDeskModule.id) { session in
                let list = try await RequirementService(context: session.context).list(status: status, by: session.principal)
                try session.output.emit(list) {
                    Table(
                        ["reference", "site", "priority", "status", "progress", "title"],
                        list.map { [$0.reference, $0.site, $0.priority, $0.status.rawValue, "\($0.progress)%", $0.title] })
                }
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a requirement and its plan.")
        @OptionGroup var global: GlobalOptions
        @Argument var id: String

        func run() async throws {
            try await CommandRuntime.run(global, domain: ITServiceDeskModule.id) { session in
                let requirement = try await RequirementService(context: session.context).get(id, by: session.principal)
                try session.output.emit(requirement) { RequirementCommand.detail(requirement) }
            }
        }
    }

    struct Triage: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "triage", abstract: "Accept, defer or reject a requirement.")
        @OptionGroup var global: GlobalOptions
        @Argument var id: String
        @Option var expectVersion: Int
        @Option(help: "accepted, deferred or rejected.") var decision: RequirementStatus
        @Option var reason: String?

        func run() async throws {
            guard decision != .new else { throw CommandFailure.usage("--decision must be accepted, deferred or rejected") }
            try await CommandRuntime.run(global, domain: ITServiceDeskModule.id) { session in
                let requirement = try await RequirementService(context: session.context).triage(
                    id, to: decision, reason: reason, expectedVersion: expectVersion, by: session.invocation)
                try session.output.emit(requirement) { RequirementCommand.detail(requirement) }
            }
        }
    }

    struct AddTask: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add-task", abstract: "Add a task to an accepted requirement's plan.")
        @OptionGroup var global: GlobalOptions
        @Argument var id: String
        @Option var title: String
        @Option var owner: String
        @Option(help: "YYYY-MM-DD") var due: String
        @Option(name: .customLong("depends-on")) var dependsOn: [String] = []
        @Option var budgetLine: String?

        func run() async throws {
            try await CommandRuntime.run(global, domain: ITServiceDeskModule.id) { session in
                let requirement = try await RequirementService(context: session.context).addTask(
                    id, PlanTaskInput(title: title, owner: owner, dueDate: due, dependsOn: dependsOn, budgetLineId: budgetLine), by: session.invocation)
                try session.output.emit(requirement) { RequirementCommand.detail(requirement) }
            }
        }
    }

    struct UpdateTask: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "update-task", abstract: "Move a task or set its progress.")
        @OptionGroup var global: GlobalOptions
        @Argument var id: String
        @Option var task: String
        @Option var expectVersion: Int
        @Option var status: TaskStatus?
        @Option var progress: Int?

        func run() async throws {
            try await CommandRuntime.run(global, domain: ITServiceDeskModule.id) { session in
                let requirement = try await RequirementService(context: session.context).updateTask(
                    id, task: task, status: status, progress: progress, expectedVersion: expectVersion, by: session.invocation)
                try session.output.emit(requirement) { RequirementCommand.detail(requirement) }
            }
        }
    }
}
