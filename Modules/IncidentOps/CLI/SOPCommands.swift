import ArgumentParser
import Calendars
import Foundation
import Kernel

struct SOPCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sop", abstract: "SOP runbooks and case checklists.",
        subcommands: [Publish.self, List.self, Checklist.self, Done.self, Waive.self])

    static func table(_ steps: [CaseStep]) -> Table {
        Table(
            ["step", "title", "mandatory", "due", "state"],
            steps.map { step in
                let state =
                    step.doneAt.map { "done \(ISO8601.format($0)) by \(step.doneBy ?? "?")\($0 > step.dueAt ? " (late)" : "")" }
                    ?? step.waivedAt.map { "waived by \(step.waivedBy ?? "?"): \(step.waiverReason ?? "") (\(ISO8601.format($0)))" } ?? "open"
                return [step.key, step.title, step.mandatory ? "yes" : "no", ISO8601.format(step.dueAt), state]
            })
    }

    struct Publish: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "publish", abstract: "Publish a runbook version from a JSON file ({category, title, steps: [...]}).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "JSON file.") var file: String

        func run() async throws {
            guard let data = FileManager.default.contents(atPath: file) else { throw CommandFailure(message: "cannot read \(file)", exitCode: 66) }
            let input = try RequestBody.decode(SOPInput.self, from: data, schema: SOPEndpoints.input)
            try await CommandRuntime.run(global, domain: IncidentOpsModule.id) { session in
                let sop = try await SOPService(context: session.context).publish(input, by: session.invocation)
                try session.output.emit(sop) {
                    Table.record([("category", sop.category), ("version", String(sop.version)), ("steps", String(sop.steps.count))])
                }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "Runbooks.")
        @OptionGroup var global: GlobalOptions
        @Option var category: String?

        func run() async throws {
            try await CommandRuntime.run(global, domain: IncidentOpsModule.id) { session in
                let list = try await SOPService(context: session.context).list(category: category, by: session.principal)
                try session.output.emit(list) {
                    Table(
                        ["category", "version", "title", "steps", "published"],
                        list.map { [$0.category, String($0.version), $0.title, String($0.steps.count), ISO8601.format($0.publishedAt)] })
                }
            }
        }
    }

    struct Checklist: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "checklist", abstract: "A case's checklist.")
        @OptionGroup var global: GlobalOptions
        @Argument var id: String

        func run() async throws {
            try await CommandRuntime.run(global, domain: IncidentOpsModule.id) { session in
                let steps = try await CaseService(context: session.context).checklist(id, by: session.principal)
                try session.output.emit(steps) { SOPCommand.table(steps) }
            }
        }
    }

    struct Done: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "done", abstract: "Mark a step done.")
        @OptionGroup var global: GlobalOptions
        @Argument var id: String
        @Argument var step: String

        func run() async throws {
            try await CommandRuntime.run(global, domain: IncidentOpsModule.id) { session in
                let steps = try await CaseService(context: session.context).completeStep(id, step: step, by: session.invocation)
                try session.output.emit(steps) { SOPCommand.table(steps) }
            }
        }
    }

    struct Waive: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "waive", abstract: "Waive a step (coordinators), with --reason.")
        @OptionGroup var global: GlobalOptions
        @Argument var id: String
        @Argument var step: String

        func run() async throws {
            guard let reason = global.reason else { throw CommandFailure.usage("--reason is required to waive a step") }
            try await CommandRuntime.run(global, domain: IncidentOpsModule.id) { session in
                let steps = try await CaseService(context: session.context).waiveStep(id, step: step, reason: reason, by: session.invocation)
                try session.output.emit(steps) { SOPCommand.table(steps) }
            }
        }
    }
}
