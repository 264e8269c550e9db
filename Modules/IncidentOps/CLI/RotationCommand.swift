import ArgumentParser
import Calendars
import Foundation
import Kernel

extension RosterCommand {
    struct Rotate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rotate", abstract: "Lay down a rotating roster as planned shifts (default 3 × 8 h from 06:00, teams moving weekly, one resting).",
            discussion:
                "Example: vigil incident-ops roster rotate --region BR-SP --role analyst --from 2026-12-01 --days 28 --email a@x.com --email b@x.com --email c@x.com --email d@x.com"
        )
        @OptionGroup var global: GlobalOptions
        @Option var region: String
        @Option(help: "analyst, specialist or coordinator.") var role: String
        @Option(name: .customLong("email"), help: "A person, in team order (repeat).") var emails: [String]
        @Option(help: "First day, local (YYYY-MM-DD).") var from: String
        @Option(help: "How many days, 1 to 62.") var days: Int
        @Option(help: "Shifts per day: 1, 2, 3 or 4.") var shiftsPerDay: Int = 3
        @Option(help: "Local start of the first shift (HH:MM).") var firstShiftStarts: String = "06:00"
        @Option(help: "Teams move to the next shift every so many days.") var rotateEveryDays: Int = 7

        func run() async throws {
            let input = RotationInput(
                region: region, role: role, emails: emails, startDate: from, days: days, shiftsPerDay: shiftsPerDay,
                firstShiftStarts: firstShiftStarts, rotateEveryDays: rotateEveryDays)
            try await CommandRuntime.run(global, domain: IncidentOpsModule.id) { session in
                let entries = try await DeskService(context: session.context).addRotation(input, by: session.invocation)
                try session.output.emit(entries) {
                    Table.record([
                        ("shifts created", String(entries.count)),
                        ("from", entries.first.map { ISO8601.format($0.startsAt) } ?? "-"),
                        ("to", entries.last.map { ISO8601.format($0.endsAt) } ?? "-"),
                    ])
                }
            }
        }
    }
}
