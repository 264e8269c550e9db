import Calendars
import Foundation
import Kernel
import Monetary
import ReportDocuments
import SQLKit

/// The IT desk's reports as documents (JSON, CSV, HTML with SVG charts): tickets, inventory,
/// depreciation, budget against actual, forecast against budget, renewals.
public struct ITReports: Sendable {
    let context: DomainContext

    public enum Name: String, CaseIterable, Sendable { case tickets, inventory, depreciation, budget, forecast, renewals }

    public struct Parameters: Sendable {
        public var from: Date?
        public var to: Date?
        public var fiscalYear: Int?
        public var quarters: Int?
        public var site: String?

        public init(from: Date? = nil, to: Date? = nil, fiscalYear: Int? = nil, quarters: Int? = nil, site: String? = nil) {
            self.from = from
            self.to = to
            self.fiscalYear = fiscalYear
            self.quarters = quarters
            self.site = site
        }
    }

    public init(context: DomainContext) { self.context = context }

    public func build(_ name: Name, _ parameters: Parameters, by principal: Principal) async throws -> ReportDocument {
        // Seconds over a year of tickets or every asset: on the long-work thread (DomainContext.longRunning).
        try await context.longRunning { try await self.buildNow(name, parameters, by: principal) }
    }

    private func buildNow(_ name: Name, _ parameters: Parameters, by principal: Principal) async throws -> ReportDocument {
        try principal.require(ITServiceDeskPermissions.reportRead)
        let now = context.clock.now()
        let today = LocalDate(of: now, in: "UTC")
        switch name {
        case .tickets: return try await tickets(from: parameters.from ?? now.addingTimeInterval(-30 * 86_400), to: parameters.to ?? now, by: principal)
        case .inventory: return try await inventory(today: today, by: principal)
        case .depreciation:
            let year = parameters.fiscalYear ?? today.year
            let lines = try await AssetBook(context: context).depreciation(fiscalYear: year, site: parameters.site, by: principal)
            return ReportDocument(
                title: "Depreciation by cost center", subtitle: "Fiscal year \(year) (each site's own fiscal year), amounts in each asset's currency",
                sections: [
                    ReportSection(
                        title: "By site and cost center",
                        columns: ["site", "cost center", "currency", "from", "to", "assets", "opening", "depreciation", "disposals", "closing"],
                        rows: lines.map {
                            [
                                $0.site, $0.costCenter, $0.currency, $0.from.description, $0.to.description, String($0.assets),
                                MoneyText.text($0.opening, currency: $0.currency), MoneyText.text($0.depreciation, currency: $0.currency),
                                MoneyText.text($0.disposals, currency: $0.currency), MoneyText.text($0.closing, currency: $0.currency),
                            ]
                        },
                        chart: .init(title: "Depreciation of the year", labelColumn: 1, valueColumn: 7))
                ])
        case .budget:
            let year = parameters.fiscalYear ?? today.year
            let report = try await BudgetService(context: context).report(fiscalYear: year, site: parameters.site, asOf: today, by: principal)
            let money = { (value: Int64) in MoneyText.text(value, currency: report.reportingCurrency) }
            return ReportDocument(
                title: "Budget against actual", subtitle: "Fiscal year \(year) as of \(today), in \(report.reportingCurrency)",
                sections: [
                    ReportSection(
                        title: "Lines",
                        columns: ["site", "cost center", "kind", "category", "budget", "actual", "remaining", "used %", "run-rate forecast", "alerts"],
                        rows: report.lines.map {
                            [
                                $0.site, $0.costCenter, $0.kind.rawValue, $0.category.rawValue, money($0.budget), money($0.actual), money($0.remaining),
                                $0.usedPercent.map { String(format: "%.1f", $0) } ?? "-", money($0.runRateForecast),
                                $0.alerts.map { "\($0)%" }.joined(separator: " "),
                            ]
                        },
                        chart: .init(title: "Used % of budget", labelColumn: 1, valueColumn: 7))
                ])
        case .forecast:
            let quarters = parameters.quarters ?? 8
            let report = try await PurchaseForecast(context: context).run(quarters: quarters, from: nil, site: parameters.site, by: principal)
            let money = { (value: Int64) in MoneyText.text(value, currency: report.reportingCurrency) }
            var sums: [Quarter: MoneySum] = [:]
            for line in report.lines { sums[line.quarter, default: MoneySum()] += line.cost }
            let byQuarter = try sums.mapValues { try $0.int64("the forecast cost of a quarter") }
            return ReportDocument(
                title: "Purchase forecast", subtitle: "\(quarters) quarters from \(report.from), in \(report.reportingCurrency)",
                sections: [
                    ReportSection(
                        title: "By quarter", columns: ["quarter", "cost"],
                        rows: byQuarter.sorted { $0.key < $1.key }.map { [$0.key.description, money($0.value)] },
                        chart: .init(title: "Forecast cost by quarter", labelColumn: 0, valueColumn: 1)),
                    ReportSection(
                        title: "Against the capex hardware budget", columns: ["site", "fiscal year", "forecast", "budget", "difference"],
                        rows: report.budgets.map { [$0.site, String($0.fiscalYear), money($0.forecast), money($0.budget), money($0.difference)] }),
                    ReportSection(
                        title: "Lines", columns: ["quarter", "site", "category", "model", "reason", "quantity", "cost", "why"],
                        rows: report.lines.map {
                            [
                                $0.quarter.description, $0.site, $0.category, $0.model ?? "", $0.reason.rawValue, String($0.quantity), money($0.cost),
                                $0.explanation,
                            ]
                        }),
                ])
        case .renewals:
            let contracts = try await ContractService(context: context).list(site: parameters.site, upcomingWithinDays: 120, by: principal)
            return ReportDocument(
                title: "Upcoming renewals and notice deadlines", subtitle: "Contracts whose notice deadline or end falls in the next 120 days",
                sections: [
                    ReportSection(
                        title: "Contracts",
                        columns: ["reference", "vendor", "type", "site", "status", "term end", "notice deadline", "next renewal", "billing"],
                        rows: contracts.map {
                            [
                                $0.reference, $0.vendor, $0.type.rawValue, $0.site, $0.state.status.rawValue, $0.state.termEnd.description,
                                $0.state.noticeDeadline.description, $0.state.nextRenewal?.description ?? "-",
                                "\($0.currency) \(MoneyText.text($0.billingAmount, currency: $0.currency)) every \($0.billingPeriodMonths) months",
                            ]
                        })
                ])
        }
    }

    private func regionCondition(_ principal: Principal, column: String) -> SQLQueryString {
        guard let regions = principal.regions.filter else { return "1 = 1" }
        return "\(unsafeRaw: column) IN (\(binds: regions.map(\.rawValue)))"
    }

    func tickets(from: Date, to: Date, by principal: Principal) async throws -> ReportDocument {
        let sql = context.database.sql
        let regions = regionCondition(principal, column: "t.region")
        func counts(_ column: String) async throws -> [[String]] {
            try await sql.raw(
                """
                SELECT \(unsafeRaw: column) AS label, COUNT(*) AS n FROM it_tickets t JOIN it_sites s ON s.id = t.site_id
                WHERE t.created_at >= \(bind: from.epochMicros) AND t.created_at <= \(bind: to.epochMicros) AND \(regions) GROUP BY \(unsafeRaw: column) ORDER BY \(unsafeRaw: column)
                """
            ).all().map { [try $0.decode(column: "label", as: String.self), String(try $0.decode(column: "n", as: Int.self))] }
        }
        let byType = try await counts("t.type")
        let byCategory = try await counts("t.category")
        let bySite = try await counts("s.code")
        var attainment: [[String]] = []
        for row in try await sql.raw(
            """
            SELECT c.kind, SUM(CASE WHEN c.breached_at IS NULL THEN 1 ELSE 0 END) AS met, COUNT(*) AS n FROM it_ticket_clocks c JOIN it_tickets t ON t.id = c.ticket_id
            WHERE c.stopped_at IS NOT NULL AND t.created_at >= \(bind: from.epochMicros) AND t.created_at <= \(bind: to.epochMicros) AND \(regions) GROUP BY c.kind ORDER BY c.kind
            """
        ).all() {
            let met = try row.decode(column: "met", as: Int.self), total = try row.decode(column: "n", as: Int.self)
            attainment.append([
                try row.decode(column: "kind", as: String.self), String(met), String(total),
                total > 0 ? String(format: "%.1f", Double(met) * 100 / Double(total)) : "-",
            ])
        }
        // Time to resolve, in hours, by category and by site: medians from the resolved tickets.
        var durations: [String: [Double]] = [:]
        var siteDurations: [String: [Double]] = [:]
        for row in try await sql.raw(
            """
            SELECT t.category, s.code AS site, t.created_at, t.resolved_at FROM it_tickets t JOIN it_sites s ON s.id = t.site_id
            WHERE t.resolved_at IS NOT NULL AND t.created_at >= \(bind: from.epochMicros) AND t.created_at <= \(bind: to.epochMicros) AND \(regions) LIMIT 200000
            """
        ).all() {
            let hours = Double(try row.decode(column: "resolved_at", as: Int64.self) - row.decode(column: "created_at", as: Int64.self)) / 3_600_000_000
            durations[try row.decode(column: "category", as: String.self), default: []].append(hours)
            siteDurations[try row.decode(column: "site", as: String.self), default: []].append(hours)
        }
        func median(_ values: [Double]) -> String {
            let sorted = values.sorted()
            return sorted.isEmpty ? "-" : String(format: "%.1f", sorted[sorted.count / 2])
        }
        var aging: [String: Int] = ["< 1 day": 0, "1-3 days": 0, "3-7 days": 0, "7-30 days": 0, "> 30 days": 0]
        let now = context.clock.now()
        for row in try await sql.raw(
            """
            SELECT t.created_at FROM it_tickets t WHERE t.status NOT IN ('resolved', 'closed', 'cancelled') AND \(regions) LIMIT 200000
            """
        ).all() {
            let days = now.timeIntervalSince(Date(epochMicros: try row.decode(column: "created_at", as: Int64.self))) / 86_400
            let bucket = days < 1 ? "< 1 day" : days < 3 ? "1-3 days" : days < 7 ? "3-7 days" : days < 30 ? "7-30 days" : "> 30 days"
            aging[bucket, default: 0] += 1
        }
        let order = ["< 1 day", "1-3 days", "3-7 days", "7-30 days", "> 30 days"]
        return ReportDocument(
            title: "IT tickets", subtitle: "Opened from \(ISO8601.format(from)) to \(ISO8601.format(to))",
            sections: [
                ReportSection(
                    title: "Volume by type", columns: ["type", "tickets"], rows: byType, chart: .init(title: "Tickets by type", labelColumn: 0, valueColumn: 1)),
                ReportSection(
                    title: "Volume by category", columns: ["category", "tickets"], rows: byCategory,
                    chart: .init(title: "Tickets by category", labelColumn: 0, valueColumn: 1)),
                ReportSection(
                    title: "Volume by site", columns: ["site", "tickets"], rows: bySite, chart: .init(title: "Tickets by site", labelColumn: 0, valueColumn: 1)),
                ReportSection(
                    title: "SLA attainment (stopped clocks)", columns: ["clock", "met", "total", "attainment %"], rows: attainment,
                    chart: .init(title: "SLA attainment %", labelColumn: 0, valueColumn: 3)),
                ReportSection(
                    title: "Time to resolve by category (median hours)", columns: ["category", "resolved", "median hours"],
                    rows: durations.sorted { $0.key < $1.key }.map { [$0.key, String($0.value.count), median($0.value)] },
                    chart: .init(title: "MTTR by category (h)", labelColumn: 0, valueColumn: 2)),
                ReportSection(
                    title: "Time to resolve by site (median hours)", columns: ["site", "resolved", "median hours"],
                    rows: siteDurations.sorted { $0.key < $1.key }.map { [$0.key, String($0.value.count), median($0.value)] },
                    chart: .init(title: "MTTR by site (h)", labelColumn: 0, valueColumn: 2)),
                ReportSection(
                    title: "Backlog by age (open now)", columns: ["age", "tickets"], rows: order.map { [$0, String(aging[$0] ?? 0)] },
                    chart: .init(title: "Open tickets by age", labelColumn: 0, valueColumn: 1)),
            ])
    }

    func inventory(today: LocalDate, by principal: Principal) async throws -> ReportDocument {
        let sql = context.database.sql
        let regions = regionCondition(principal, column: "s.region")
        func counts(_ column: String, _ extra: String = "") async throws -> [[String]] {
            try await sql.raw(
                """
                SELECT \(unsafeRaw: column) AS label, COUNT(*) AS n FROM it_assets a JOIN it_sites s ON s.id = a.site_id JOIN it_asset_models m ON m.id = a.model_id
                WHERE \(regions) \(unsafeRaw: extra) GROUP BY \(unsafeRaw: column) ORDER BY \(unsafeRaw: column)
                """
            ).all().map { [try $0.decode(column: "label", as: String.self), String(try $0.decode(column: "n", as: Int.self))] }
        }
        let inService = "AND a.status NOT IN ('retired', 'disposed')"
        func count(_ condition: SQLQueryString) async throws -> Int {
            try await sql.raw("SELECT COUNT(*) AS n FROM it_assets a JOIN it_sites s ON s.id = a.site_id WHERE \(regions) AND " + condition).first()?.decode(
                column: "n", as: Int.self) ?? 0
        }
        let overdueAudits = try await count(
            "(a.next_audit_due IS NULL OR a.next_audit_due < \(bind: today.description)) AND a.status NOT IN ('retired', 'disposed', 'ordered')")
        let overdueCheckIns = try await count("a.status = 'deployed' AND a.check_in_due < \(bind: today.description)")
        let warranty = try await count(
            "a.warranty_end >= \(bind: today.description) AND a.warranty_end <= \(bind: today.adding(days: 60).description) AND a.status NOT IN ('retired', 'disposed')"
        )
        return ReportDocument(
            title: "IT asset inventory", subtitle: "As of \(today)",
            sections: [
                ReportSection(
                    title: "By status", columns: ["status", "assets"], rows: try await counts("a.status"),
                    chart: .init(title: "Assets by status", labelColumn: 0, valueColumn: 1)),
                ReportSection(
                    title: "In service by site", columns: ["site", "assets"], rows: try await counts("s.code", inService),
                    chart: .init(title: "Assets by site", labelColumn: 0, valueColumn: 1)),
                ReportSection(
                    title: "In service by model", columns: ["model", "assets"], rows: try await counts("m.name", inService),
                    chart: .init(title: "Assets by model", labelColumn: 0, valueColumn: 1)),
                ReportSection(
                    title: "Needing attention", columns: ["list", "assets"],
                    rows: [
                        ["audit overdue", String(overdueAudits)], ["check-in overdue", String(overdueCheckIns)],
                        ["warranty ends within 60 days", String(warranty)],
                    ]),
            ])
    }
}
