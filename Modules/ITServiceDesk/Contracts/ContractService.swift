import Calendars
import Foundation
import Kernel
import Monetary
import SQLKit

/// Contracts and leases: their records, derived dates, notice alerts, termination, and their
/// costs posted to expenses one billing period at a time.
public struct ContractService: Sendable {
    let context: DomainContext

    public init(context: DomainContext) { self.context = context }

    func today(_ zone: String) -> LocalDate { LocalDate(of: context.clock.now(), in: zone) }

    public func create(_ input: ContractInput, by invocation: Invocation) async throws -> Contract {
        let principal = invocation.principal
        try principal.require(ITServiceDeskPermissions.budgetManage)
        var validator = Validator()
        validator.check((1...200).contains(input.vendor.count), "vendor", .invalid, "must be 1 to 200 characters")
        let type = ContractType(rawValue: input.type)
        validator.check(type != nil, "type", .notAllowed, "must be one of \(ContractType.allCases.map(\.rawValue).joined(separator: ", "))")
        validator.check((1...200).contains(input.title.count), "title", .invalid, "must be 1 to 200 characters")
        let start = LocalDate(input: input.start)
        validator.check(start != nil, "start", .format, LocalDate.inputRule)
        validator.check((1...240).contains(input.initialTermMonths), "initialTermMonths", .outOfRange, "must be 1 to 240 months")
        let renewal = input.renewalTermMonths ?? (input.tacitRenewal ? input.initialTermMonths : 0)
        validator.check((0...240).contains(renewal), "renewalTermMonths", .outOfRange, "must be 0 to 240 months")
        if input.tacitRenewal { validator.check(renewal > 0, "renewalTermMonths", .outOfRange, "a tacitly renewed contract renews for at least a month") }
        validator.check(
            (input.noticeDays == nil) != (input.noticeMonths == nil), "noticeDays", .invalid, "give the notice period in days or in months (one of them)")
        if let days = input.noticeDays { validator.check((0...730).contains(days), "noticeDays", .outOfRange, "must be 0 to 730") }
        if let months = input.noticeMonths { validator.check((0...24).contains(months), "noticeMonths", .outOfRange, "must be 0 to 24") }
        validator.check([1, 3, 6, 12].contains(input.billingPeriodMonths), "billingPeriodMonths", .notAllowed, "must be 1, 3, 6 or 12")
        validator.checkAmount(input.billingAmount, "billingAmount")
        validator.check(Money.isCurrencyCode(input.currency), "currency", .format, "must be an ISO 4217 code")
        validator.check((1...365).contains(input.alertDays ?? 30), "alertDays", .outOfRange, "must be 1 to 365")
        if let bandwidth = input.bandwidthMbps { validator.check(bandwidth > 0, "bandwidthMbps", .outOfRange, "must be positive") }
        try validator.finish()
        let site = try context.authorization.referenced(
            try await SiteStore.load(code: input.site.uppercased(), on: context.database.sql), region: \.regionCode,
            by: principal, field: "site", "\(input.site) is not a site you may use")
        var centerID: String?
        if let code = input.costCenter {
            guard let center = site.costCenters.first(where: { $0.code == code.uppercased() }) else {
                throw VigilError.invalid("costCenter", .notAllowed, "\(code) is not a cost center of \(site.code)")
            }
            centerID = center.id
        }
        var assetIDs: [String] = []
        for (index, tag) in (input.assets ?? []).enumerated() {
            guard let asset = try await AssetStore.load(tag: tag.uppercased(), on: context.database.sql), asset.site == site.code else {
                throw VigilError.invalid("assets[\(index)]", .notAllowed, "\(tag) is not an asset of \(site.code)")
            }
            assetIDs.append(asset.id)
        }
        let id = context.ids.next().lowercased
        let links = assetIDs
        let center = centerID
        return try await context.transaction(invocation) { tx in
            let reference = try await tx.nextReference("CT")
            try await tx.sql.raw(
                """
                INSERT INTO it_contracts (id, reference, vendor, type, title, site_id, region, cost_center_id, start_date, initial_term_months, renewal_term_months,
                    notice_days, notice_months, tacit_renewal, billing_period_months, billing_amount, currency, circuit_id, bandwidth_mbps, provider, alert_days,
                    created_at, updated_at, version)
                VALUES (\(bind: id), \(bind: reference), \(bind: input.vendor), \(bind: type!.rawValue), \(bind: input.title), \(bind: site.id), \(bind: site.region),
                        \(bind: center), \(bind: start!.description), \(bind: input.initialTermMonths), \(bind: renewal), \(bind: input.noticeDays), \(bind: input.noticeMonths),
                        \(bind: input.tacitRenewal), \(bind: input.billingPeriodMonths), \(bind: input.billingAmount), \(bind: input.currency), \(bind: input.circuitId),
                        \(bind: input.bandwidthMbps), \(bind: input.provider), \(bind: input.alertDays ?? 30), \(bind: tx.now.epochMicros), \(bind: tx.now.epochMicros), 1)
                """
            ).run()
            for asset in links { try await tx.sql.raw("INSERT INTO it_contract_assets (contract_id, asset_id) VALUES (\(bind: id), \(bind: asset))").run() }
            let contract = try await self.load(id, on: tx.sql).orInternal("the record")
            try await tx.audit(
                AuditEntry(
                    action: "it-service-desk.contract.create", entity: EntityRef("it-service-desk.contract", id), region: site.regionCode,
                    changes: try FieldChange.diff(before: Optional<Contract>.none, after: contract), isCreation: true))
            return contract
        }
    }

    func load(_ key: String, on sql: any SQLDatabase) async throws -> Contract? {
        let condition: SQLQueryString = key.uppercased().hasPrefix("CT-") ? "k.reference = \(bind: key.uppercased())" : "k.id = \(bind: key.lowercased())"
        guard let row = try await sql.raw(SQLQueryString(stringLiteral: Contract.select) + " WHERE " + condition).first() else { return nil }
        let id = try row.decode(column: "id", as: String.self)
        let assets = try await sql.raw(
            "SELECT a.tag FROM it_contract_assets l JOIN it_assets a ON a.id = l.asset_id WHERE l.contract_id = \(bind: id) ORDER BY a.tag"
        ).all()
            .map { try $0.decode(column: "tag", as: String.self) }
        return try Contract(RowReader(row), assets: assets, today: today)
    }

    public func get(_ key: String, by principal: Principal) async throws -> Contract {
        try principal.require(ITServiceDeskPermissions.budgetRead)
        guard let contract = try await load(key, on: context.database.sql) else { throw VigilError.notFound("contract \(key)") }
        try context.authorization.requireVisible(principal, region: contract.regionCode, entity: "contract \(key)")
        return contract
    }

    /// Contracts of a site (or all visible), optionally only those whose notice deadline or term
    /// end falls within `withinDays`, soonest first.
    public func list(site: String?, upcomingWithinDays: Int?, by principal: Principal) async throws -> [Contract] {
        if let days = upcomingWithinDays, !(1...730).contains(days) { throw VigilError.invalid("upcomingWithinDays", .outOfRange, "must be 1 to 730") }
        try principal.require(ITServiceDeskPermissions.budgetRead)
        var query = SQLQueryString(stringLiteral: Contract.select) + " WHERE 1 = 1"
        if let site { query += " AND s.code = \(bind: site.uppercased())" }
        if let regions = principal.regions.filter { query += " AND k.region IN (\(binds: regions.map(\.rawValue)))" }
        query += " ORDER BY k.reference LIMIT 5000"
        var contracts: [Contract] = []
        for row in try await context.database.sql.raw(query).all() {
            let contract = try Contract(RowReader(row), assets: [], today: today)
            if let days = upcomingWithinDays {
                let today = self.today("UTC")
                let horizon = today.adding(days: days)
                let watched =
                    contract.state.status == .expired || contract.state.status == .terminated
                    ? nil
                    : (contract.state.nextRenewal != nil && contract.state.noticeDeadline >= today ? contract.state.noticeDeadline : contract.state.termEnd)
                guard let watched, watched <= horizon else { continue }
            }
            contracts.append(contract)
        }
        if upcomingWithinDays != nil { contracts.sort { ($0.state.noticeDeadline, $0.reference) < ($1.state.noticeDeadline, $1.reference) } }
        return contracts
    }

    /// Records that notice was given on a day (today by default): the contract ends at the end of
    /// the term whose deadline the notice met.
    public func terminate(_ key: String, noticeGivenOn: LocalDate?, expectedVersion: Int, by invocation: Invocation) async throws -> Contract {
        try invocation.principal.require(ITServiceDeskPermissions.budgetManage)
        let before = try await get(key, by: invocation.principal)
        guard before.noticeGivenOn == nil else { throw VigilError(.conflict, "notice was given on \(before.noticeGivenOn!) already") }
        let siteZone =
            try await context.database.sql.raw("SELECT time_zone FROM it_sites WHERE code = \(bind: before.site)").first()?.decode(
                column: "time_zone", as: String.self) ?? "UTC"
        let day = noticeGivenOn ?? today(siteZone)
        guard day <= today(siteZone) else { throw VigilError.invalid("noticeGivenOn", .outOfRange, "notice cannot be dated in the future") }
        guard day >= before.start else { throw VigilError.invalid("noticeGivenOn", .outOfRange, "is before the contract started") }
        return try await context.transaction(invocation) { tx in
            _ = try await tx.updateVersioned(
                table: "it_contracts", id: before.id, expectedVersion: expectedVersion, entity: "contract \(key)",
                assignments: [("notice_given_on", day.description), ("updated_at", tx.now.epochMicros)])
            let after = try await self.load(before.id, on: tx.sql).orInternal("the record")
            try await tx.audit(
                AuditEntry(
                    action: "it-service-desk.contract.terminate", entity: EntityRef("it-service-desk.contract", before.id), region: before.regionCode,
                    changes: try FieldChange.diff(before: before, after: after)))
            return after
        }
    }

    /// Publishes one alert per contract and notice deadline once the deadline is within the
    /// contract's alert days. Returns how many were raised.
    @discardableResult
    public func raiseNoticeAlerts() async throws -> Int {
        let rows = try await context.database.sql.raw(SQLQueryString(stringLiteral: Contract.select) + " WHERE k.notice_given_on IS NULL").all()
        var due: [(Contract, String?)] = []
        for row in rows {
            let contract = try Contract(RowReader(row), assets: [], today: today)
            if contract.state.status == .inNoticeWindow, try row.optional("last_alert_deadline", as: String.self) != contract.state.noticeDeadline.description {
                due.append((contract, nil))
            }
        }
        guard !due.isEmpty else { return 0 }
        let invocation = Invocation(
            principal: .system("it-contract-alerts", permissions: []), channel: .job, requestID: "it-contracts-\(context.clock.now().epochMicros)")
        let list = due.map(\.0)
        try await context.transaction(invocation) { tx in
            for contract in list {
                try await tx.sql.raw(
                    "UPDATE it_contracts SET last_alert_deadline = \(bind: contract.state.noticeDeadline.description) WHERE id = \(bind: contract.id)"
                ).run()
                try await tx.publish(
                    ContractNoticeDue(
                        contractId: contract.id, reference: contract.reference, vendor: contract.vendor,
                        noticeDeadline: contract.state.noticeDeadline, termEnd: contract.state.termEnd),
                    subject: EntityRef("it-service-desk.contract", contract.id), region: contract.regionCode)
            }
        }
        return list.count
    }

    /// Posts each contract's billing periods that started on or before `through` as expenses of
    /// its cost center; a period already posted is skipped, so this can run every day.
    @discardableResult
    public func postCosts(through: LocalDate, by invocation: Invocation) async throws -> Int {
        let rows = try await context.database.sql.raw(SQLQueryString(stringLiteral: Contract.select) + " WHERE k.cost_center_id IS NOT NULL").all()
        var posted = 0
        for row in rows {
            let contract = try Contract(RowReader(row), assets: [], today: today)
            let centerID = try row.decode(column: "cost_center_id", as: String.self)
            let final = Self.lastDay(of: contract)
            var periods: [LocalDate] = []
            var index = 0
            while index < 2_400 {
                // Invoices fall on the start's day of the month, or the month's last day when it is
                // shorter (31 January → 28 February → 31 March), counted from the start each time.
                let start = contract.start.adding(months: index * contract.billingPeriodMonths)
                if start > through { break }
                if let final, start > final { break }
                periods.append(start)
                index += 1
            }
            guard !periods.isEmpty else { continue }
            let due = periods
            let spend = contract.type.spend
            let count = try await context.transaction(invocation) { tx in
                var written = 0
                for start in due {
                    let expense = Expense(
                        id: context.ids.next().lowercased, spentOn: start, costCenter: contract.costCenter ?? "", kind: spend.kind, category: spend.category,
                        amount: contract.billingAmount, currency: contract.currency, source: "contract", sourceRef: "\(contract.id):\(start)",
                        description: "\(contract.reference) \(contract.vendor): period from \(start)")
                    if try await BudgetService(context: context).insert(expense, costCenterID: centerID, region: contract.regionCode, in: tx) { written += 1 }
                }
                return written
            }
            posted += count
        }
        return posted
    }

    /// The contract's last day, when it will end: the final term's end (no tacit renewal, or
    /// notice given); nil while it keeps renewing.
    static func lastDay(of contract: Contract) -> LocalDate? {
        let terms = contract.terms
        if !terms.tacitRenewal || terms.renewalTermMonths == 0 { return ContractCalendar.term(0, of: terms).end }
        guard terms.noticeGivenOn != nil else { return nil }
        return ContractCalendar.state(of: terms, on: LocalDate(year: 9999, month: 1, day: 1)!).termEnd
    }
}
