import ArgumentParser
import Foundation
import Kernel

extension EscalationCommand {
    static func table(_ policy: EscalationPolicy) -> Table {
        Table.record([
            ("region", policy.region + (policy.isDefault ? " (built-in rules)" : "")),
            ("at intake, severity at or above", policy.severityAtOrAbove?.rawValue ?? "none"),
            ("at intake, categories", policy.categories.isEmpty ? "none" : policy.categories.joined(separator: ", ")),
            ("on SLA breach", policy.onBreach ? "yes" : "no"), ("on SLA warning", policy.onWarning ? "yes" : "no"),
            (
                "chain",
                policy.levels.enumerated().map { "\($0.offset + 1). \($0.element.role.rawValue)" + ($0.element.waitMinutes.map { " (\($0) min)" } ?? "") }
                    .joined(separator: " → ")
            ),
        ])
    }

    struct Policy: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "policy", abstract: "Show a region's escalation rules and chain.")
        @OptionGroup var global: GlobalOptions
        @Option var region: String

        func run() async throws {
            try await CommandRuntime.run(global, domain: IncidentOpsModule.id) { session in
                let policy = try await EscalationPolicyService(context: session.context).policy(
                    region: try DeskEndpoints.requiredRegion(region), by: session.principal)
                try session.output.emit(policy) { EscalationCommand.table(policy) }
            }
        }
    }

    struct SetPolicy: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set-policy", abstract: "Set a region's escalation rules and chain.",
            discussion:
                "Example: vigil incident-ops escalation set-policy --region BR-SP --severity-at-or-above S2 --category assault --on-breach --level specialist:10 --level coordinator:20 --level coordinator"
        )
        @OptionGroup var global: GlobalOptions
        @Option var region: String
        @Option(help: "Cases at or above this severity escalate at intake (S1…S4); omit for none.") var severityAtOrAbove: String?
        @Option(name: .customLong("category"), help: "A category that escalates at intake (repeat).") var categories: [String] = []
        @Flag(help: "Escalate when an SLA clock breaches.") var onBreach = false
        @Flag(help: "Escalate when an SLA clock reaches its warning.") var onWarning = false
        @Option(name: .customLong("level"), help: "role[:minutes before the next level] (repeat, in order; the last has no minutes).") var levels: [String]

        func run() async throws {
            let parsed = levels.map { text -> EscalationPolicyInput.Level in
                let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
                return EscalationPolicyInput.Level(role: parts.first ?? "", waitMinutes: parts.count > 1 ? (Int(parts[1]) ?? -1) : nil)
            }
            let input = EscalationPolicyInput(
                severityAtOrAbove: severityAtOrAbove, categories: categories, onBreach: onBreach, onWarning: onWarning, levels: parsed)
            try await CommandRuntime.run(global, domain: IncidentOpsModule.id) { session in
                let policy = try await EscalationPolicyService(context: session.context).set(
                    region: try DeskEndpoints.requiredRegion(region), input, by: session.invocation)
                try session.output.emit(policy) { EscalationCommand.table(policy) }
            }
        }
    }
}
