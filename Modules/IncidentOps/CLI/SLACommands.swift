import ArgumentParser
import Calendars
import Foundation
import Kernel

/// `vigil incident-ops sla …`
struct SLACommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sla",
        abstract: "SLA clocks and policies.",
        subcommands: [Show.self, Acknowledge.self, Policies.self, SetPolicy.self, Check.self, Scan.self]
    )

    static func table(_ clocks: [SLAClockView]) -> Table {
        Table(
            ["clock", "state", "elapsed", "target", "due", "breached", "pauses", "calendar"],
            clocks.map { clock in
                [
                    clock.clock, clock.state, duration(clock.elapsedSeconds), duration(clock.targetSeconds), clock.dueAt.map(ISO8601.format) ?? "-",
                    clock.breachedAt.map(ISO8601.format) ?? "-", String(clock.pauses), clock.calendar,
                ]
            })
    }

    static func duration(_ seconds: Int64) -> String {
        let sign = seconds < 0 ? "-" : ""
        let value = abs(seconds)
        return "\(sign)\(value / 3600)h\(String(format: "%02d", value % 3600 / 60))m"
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "A case's clocks as they stand now.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Case id or reference.") var id: String

        func run() async throws {
            try await CommandRuntime.run(global, domain: IncidentOpsModule.id) { session in
                let clocks = try await CaseService(context: session.context).clocks(id, by: session.principal)
                try session.output.emit(clocks) { SLACommand.table(clocks) }
            }
        }
    }

    struct Acknowledge: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "ack", abstract: "Acknowledge a case (stops its acknowledge clock).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Case id or reference.") var id: String

        func run() async throws {
            try await CommandRuntime.run(global, domain: IncidentOpsModule.id) { session in
                let clocks = try await CaseService(context: session.context).acknowledge(id, by: session.invocation)
                try session.output.emit(clocks) { SLACommand.table(clocks) }
            }
        }
    }

    struct Policies: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "policies", abstract: "List SLA policies (of one region: every combination, built-in where unset).")
        @OptionGroup var global: GlobalOptions
        @Option(help: "Region code, e.g. BR-SP.", transform: ArgumentValue.region) var region: RegionCode?

        func run() async throws {
            try await CommandRuntime.run(global, domain: IncidentOpsModule.id) { session in
                let list = try await SLAPolicyService(context: session.context).list(region: region, by: session.principal)
                try session.output.emit(list) {
                    Table(
                        ["region", "line", "sev", "ack min", "first action min", "resolve min", "warn %", "calendar", "source"],
                        list.map {
                            [
                                $0.region, $0.businessLine.rawValue, $0.severity.rawValue, String($0.acknowledgeMinutes), String($0.firstActionMinutes),
                                String($0.resolveMinutes), String($0.warningPercent), $0.calendar, $0.isDefault ? "built-in" : "region",
                            ]
                        })
                }
            }
        }
    }

    struct SetPolicy: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set-policy",
            abstract: "Set the targets of a region × business line × severity (applies to cases opened afterwards).",
            discussion:
                "Example: vigil incident-ops sla set-policy --region BR-SP --business-line drivers --severity S1 --acknowledge 5 --first-action 10 --resolve 240"
        )
        @OptionGroup var global: GlobalOptions
        @Option var region: String
        @Option var businessLine: String
        @Option var severity: String
        @Option(help: "Minutes to acknowledge.") var acknowledge: Int
        @Option(help: "Minutes to first action.") var firstAction: Int
        @Option(help: "Minutes to resolve.") var resolve: Int
        @Option(help: "Warning at this share of a target (percent, default 80).") var warning: Int?
        @Option(help: "24x7 (default) or business.") var calendar: String?

        func run() async throws {
            let input = SLAPolicyInput(
                region: region, businessLine: businessLine, severity: severity, acknowledgeMinutes: acknowledge,
                firstActionMinutes: firstAction, resolveMinutes: resolve, warningPercent: warning, calendar: calendar)
            try await CommandRuntime.run(global, domain: IncidentOpsModule.id) { session in
                let policy = try await SLAPolicyService(context: session.context).set(input, by: session.invocation)
                try session.output.emit(policy) {
                    Table.record([
                        ("region", policy.region), ("line", policy.businessLine.rawValue), ("severity", policy.severity.rawValue),
                        ("acknowledge", "\(policy.acknowledgeMinutes) min"), ("first action", "\(policy.firstActionMinutes) min"),
                        ("resolve", "\(policy.resolveMinutes) min"), ("warning", "\(policy.warningPercent)%"), ("calendar", policy.calendar),
                    ])
                }
            }
        }
    }

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check",
            abstract: "Recompute clocks from case timelines and compare with the stored clocks; exits 65 on a difference."
        )
        @OptionGroup var global: GlobalOptions
        @Argument(help: "One case (id or reference); default the latest cases.") var id: String?
        @Option(help: "How many of the latest cases.") var limit: Int = 1_000

        private struct Result: Encodable { let checked: Int; let mismatches: [SLAReplay.Mismatch] }

        func run() async throws {
            try await CommandRuntime.run(global, domain: IncidentOpsModule.id) { session in
                let result = try await CaseService(context: session.context).checkClocks(id, limit: limit, by: session.principal)
                try session.output.emit(Result(checked: result.checked, mismatches: result.mismatches)) {
                    Table(
                        ["case", "clock", "field", "stored", "recomputed"], result.mismatches.map { [$0.caseId, $0.clock, $0.field, $0.stored, $0.recomputed] })
                }
                session.output.note("\(result.checked) case(s) checked, \(result.mismatches.count) difference(s)")
                if !result.mismatches.isEmpty { throw CommandFailure.data("stored clocks differ from their timelines") }
            }
        }
    }

    struct Scan: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "scan", abstract: "Run one pass of the SLA scanner now (the server runs it every few seconds).")
        @OptionGroup var global: GlobalOptions

        private struct Result: Encodable { let warnings: Int; let breaches: Int; let milliseconds: Double }

        func run() async throws {
            try await CommandRuntime.run(global, domain: IncidentOpsModule.id) { session in
                try session.principal.require(IncidentOpsPermissions.slaManage)
                let started = ContinuousClock.now
                let result = try await SLAScanner(context: session.context).scan()
                let took = started.duration(to: .now)
                // The pass alone, without the process start: what the server's scanner costs.
                let milliseconds = Double(took.components.seconds) * 1000 + Double(took.components.attoseconds) / 1e15
                try session.output.emit(Result(warnings: result.warnings, breaches: result.breaches, milliseconds: milliseconds)) {
                    Table.record([
                        ("warnings recorded", String(result.warnings)), ("breaches recorded", String(result.breaches)),
                        ("pass took", String(format: "%.1f ms", milliseconds)),
                    ])
                }
            }
        }
    }
}
