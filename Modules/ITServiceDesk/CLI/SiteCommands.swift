import ArgumentParser
import Calendars
import Foundation
import Kernel

struct SiteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "site", abstract: "Offices: calendars, holidays and cost centers.",
        subcommands: [Create.self, List.self, Show.self, Calendar.self, AddHoliday.self, RemoveHoliday.self, AddCostCenter.self])

    static func detail(_ site: Site) -> Table {
        Table.record([
            ("code", site.code), ("name", site.name), ("country", site.country), ("region", site.region), ("time zone", site.timeZone),
            ("currency", site.currency), ("fiscal year starts", "month \(site.fiscalYearStartMonth)"),
            (
                "hours",
                site.hours.map { "\(["", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][$0.weekday]) \($0.opens)-\($0.closes)" }.joined(separator: ", ")
            ),
            ("national holidays", site.nationalHolidays ? "yes (\(site.country))" : "no"),
            ("site holidays", site.holidays.map { "\($0.date) \($0.name)" }.joined(separator: "; ")),
            ("cost centers", site.costCenters.map { "\($0.code) \($0.name)" }.joined(separator: "; ")), ("version", String(site.version)),
        ])
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "create", abstract: "Add an office.",
            discussion:
                "Example: vigil it-service-desk site create --code SP-HQ --name 'São Paulo HQ' --country BR --region BR-SP --time-zone America/Sao_Paulo --currency BRL --hours 1-5=09:00-18:00"
        )
        @OptionGroup var global: GlobalOptions
        @Option var code: String
        @Option var name: String
        @Option(help: "ISO 3166 code; BR gets its national holidays computed.") var country: String
        @Option var region: String
        @Option(help: "IANA zone, e.g. America/Sao_Paulo.") var timeZone: String
        @Option var currency: String
        @Option(help: "Month the fiscal year starts, 1-12.") var fiscalYearStartMonth: Int?
        @Option(name: .customLong("hours"), help: "Weekdays=HH:MM-HH:MM, e.g. 1-5=09:00-18:00 or 6=09:00-13:00 (repeat; 1 = Monday).") var hours: [String] = []
        @Flag(help: "Do not apply the country's national holidays.") var noNationalHolidays = false

        func run() async throws {
            let parsed = try hours.flatMap(SiteCommand.parseHours)
            let input = SiteInput(
                code: code, name: name, country: country, region: region, timeZone: timeZone, currency: currency,
                fiscalYearStartMonth: fiscalYearStartMonth, hours: parsed.isEmpty ? nil : parsed, nationalHolidays: !noNationalHolidays)
            try await CommandRuntime.run(global, domain: ITServiceDeskModule.id) { session in
                let site = try await SiteService(context: session.context).create(input, by: session.invocation)
                try session.output.emit(site) { SiteCommand.detail(site) }
            }
        }
    }

    /// `1-5=09:00-18:00` → five days of hours.
    static func parseHours(_ text: String) throws -> [SiteHours] {
        let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
        let span = parts.count == 2 ? parts[1].split(separator: "-", maxSplits: 1).map(String.init) : []
        let days = parts.first?.split(separator: "-", maxSplits: 1).compactMap { Int($0) } ?? []
        guard span.count == 2, let first = days.first, let last = days.last, first <= last else {
            throw CommandFailure.usage("--hours \(text): write weekdays=HH:MM-HH:MM, e.g. 1-5=09:00-18:00")
        }
        return (first...last).map { SiteHours(weekday: $0, opens: span[0], closes: span[1]) }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List offices.")
        @OptionGroup var global: GlobalOptions
        @Option var region: String?

        func run() async throws {
            try await CommandRuntime.run(global, domain: ITServiceDeskModule.id) { session in
                let sites = try await SiteService(context: session.context).sites(region: try ITEndpoints.region(region), by: session.principal)
                try session.output.emit(sites) {
                    Table(
                        ["code", "name", "region", "time zone", "currency", "cost centers"],
                        sites.map { [$0.code, $0.name, $0.region, $0.timeZone, $0.currency, String($0.costCenters.count)] })
                }
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show an office.")
        @OptionGroup var global: GlobalOptions
        @Argument var code: String

        func run() async throws {
            try await CommandRuntime.run(global, domain: ITServiceDeskModule.id) { session in
                let site = try await SiteService(context: session.context).get(code, by: session.principal)
                try session.output.emit(site) { SiteCommand.detail(site) }
            }
        }
    }

    struct Calendar: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "calendar", abstract: "A year's holidays of an office, national and its own.")
        @OptionGroup var global: GlobalOptions
        @Argument var code: String
        @Option var year: Int

        func run() async throws {
            try await CommandRuntime.run(global, domain: ITServiceDeskModule.id) { session in
                let calendar = try await SiteService(context: session.context).calendar(site: code, year: year, by: session.principal)
                try session.output.emit(calendar) {
                    Table(
                        ["date", "weekday", "holiday", "source"],
                        calendar.holidays.map {
                            [$0.date.description, ["", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][$0.date.isoWeekday], $0.name, $0.source]
                        })
                }
            }
        }
    }

    struct AddHoliday: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add-holiday", abstract: "Add a site holiday (a city's anniversary, a closure).")
        @OptionGroup var global: GlobalOptions
        @Argument var code: String
        @Option(help: "YYYY-MM-DD", transform: ArgumentValue.date) var date: LocalDate
        @Option var name: String

        func run() async throws {
            try await CommandRuntime.run(global, domain: ITServiceDeskModule.id) { session in
                let site = try await SiteService(context: session.context).addHoliday(site: code, date: date, name: name, by: session.invocation)
                try session.output.emit(site) { SiteCommand.detail(site) }
            }
        }
    }

    struct RemoveHoliday: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "remove-holiday", abstract: "Remove a site holiday.")
        @OptionGroup var global: GlobalOptions
        @Argument var code: String
        @Option(help: "YYYY-MM-DD", transform: ArgumentValue.date) var date: LocalDate

        func run() async throws {
            try await CommandRuntime.run(global, domain: ITServiceDeskModule.id) { session in
                let site = try await SiteService(context: session.context).removeHoliday(site: code, date: date, by: session.invocation)
                try session.output.emit(site) { SiteCommand.detail(site) }
            }
        }
    }

    struct AddCostCenter: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add-cost-center", abstract: "Add a cost center to an office.")
        @OptionGroup var global: GlobalOptions
        @Argument var code: String
        @Option(name: .customLong("cost-center")) var costCenter: String
        @Option var name: String

        func run() async throws {
            try await CommandRuntime.run(global, domain: ITServiceDeskModule.id) { session in
                let center = try await SiteService(context: session.context).addCostCenter(
                    site: code, costCenter: costCenter, name: name, by: session.invocation)
                try session.output.emit(center) { Table.record([("code", center.code), ("name", center.name)]) }
            }
        }
    }
}
