import Calendars
import EntityHistory
import Foundation
import JSONCoding
import Kernel
import Monetary
import SQLKit

/// Assets day to day: models, registering, the lifecycle, check-out and check-in, audits and
/// history. Imports are in AssetImporter, money in AssetBook.
public struct AssetService: Sendable {
    let context: DomainContext

    public init(context: DomainContext) { self.context = context }

    var auditIntervalMonths: Int { min(max(1, context.config.int(forKey: "assets.audit-interval-months", default: 12)), 120) }

    // MARK: Models

    public func createModel(_ input: AssetModelInput, by invocation: Invocation) async throws -> AssetModel {
        try invocation.principal.require(ITServiceDeskPermissions.assetManage)
        var validator = Validator()
        let name = input.name.trimmingCharacters(in: .whitespaces)
        validator.check((1...120).contains(name.count), "name", .invalid, "must be 1 to 120 characters")
        validator.check((1...120).contains(input.manufacturer.count), "manufacturer", .invalid, "must be 1 to 120 characters")
        validator.check(AssetCategory.all.contains(input.category), "category", .notAllowed, "must be one of \(AssetCategory.all.joined(separator: ", "))")
        validator.check((1...600).contains(input.expectedLifeMonths), "expectedLifeMonths", .outOfRange, "must be 1 to 600 months")
        validator.checkAmount(input.unitCost, "unitCost")
        validator.check(Money.isCurrencyCode(input.currency), "currency", .format, "must be an ISO 4217 code such as BRL")
        let method = DepreciationMethod(text: input.depreciation ?? "straight-line")
        validator.check(method != nil, "depreciation", .notAllowed, "must be straight-line or declining-balance:FACTOR")
        try validator.finish()
        let id = context.ids.next().lowercased
        defer { AssetNames.cache.invalidateAll() }
        return try await context.transaction(invocation) { tx in
            if try await tx.sql.raw("SELECT id FROM it_asset_models WHERE name = \(bind: name)").first() != nil {
                throw VigilError(.conflict, "a model named \(name) exists already")
            }
            try await tx.sql.raw(
                """
                INSERT INTO it_asset_models (id, name, manufacturer, category, expected_life_months, unit_cost, currency, depreciation, created_at, updated_at, version)
                VALUES (\(bind: id), \(bind: name), \(bind: input.manufacturer), \(bind: input.category), \(bind: input.expectedLifeMonths), \(bind: input.unitCost),
                        \(bind: input.currency), \(bind: method!.text), \(bind: tx.now.epochMicros), \(bind: tx.now.epochMicros), 1)
                """
            ).run()
            let model = try await tx.sql.raw("SELECT \(unsafeRaw: AssetModel.columns) FROM it_asset_models WHERE id = \(bind: id)").first().map(
                AssetModel.init(row:)
            ).orInternal("the record")
            try await tx.audit(
                AuditEntry(
                    action: "it-service-desk.asset-model.create", entity: EntityRef("it-service-desk.asset-model", id), region: nil,
                    changes: try FieldChange.diff(before: Optional<AssetModel>.none, after: model), isCreation: true))
            return model
        }
    }

    public func models(by principal: Principal) async throws -> [AssetModel] {
        try principal.require(ITServiceDeskPermissions.assetRead)
        return try await context.database.sql.raw("SELECT \(unsafeRaw: AssetModel.columns) FROM it_asset_models ORDER BY name LIMIT 5000").all().map(
            AssetModel.init(row:))
    }

    // MARK: Assets

    /// Registers one asset from the same fields as a CSV row (money as text in the currency's units).
    public func create(_ fields: AssetFields, by invocation: Invocation) async throws -> Asset {
        try invocation.principal.require(ITServiceDeskPermissions.assetManage)
        let lookups = try await AssetLookups.load(on: context.database.sql)
        let draft = try AssetDraft.check(fields, lookups: lookups, principal: invocation.principal).get()
        let id = try await context.transaction(invocation) { tx in
            if try await tx.sql.raw("SELECT id FROM it_assets WHERE tag = \(bind: draft.tag)").first() != nil {
                throw VigilError(.conflict, "an asset is tagged \(draft.tag) already")
            }
            if let serial = draft.serial, let owner = try await tx.sql.raw("SELECT tag FROM it_assets WHERE serial = \(bind: serial)").first() {
                throw VigilError.invalid("serial", .notAllowed, "serial \(serial) belongs to asset \(try owner.decode(column: "tag", as: String.self))")
            }
            _ = try await AssetImporter.upsert([draft], importID: "", ids: context.ids, in: tx)
            let asset = try await AssetStore.load(tag: draft.tag, on: tx.sql).orInternal("the record")
            try await tx.sql.raw("UPDATE it_assets SET import_id = NULL WHERE id = \(bind: asset.id)").run()
            try await AssetStore.record(asset.id, kind: .registered, from: nil, to: asset.status, details: .object([:]), ids: context.ids, in: tx)
            try await tx.audit(
                AuditEntry(
                    action: "it-service-desk.asset.create", entity: EntityRef("it-service-desk.asset", asset.id), region: asset.regionCode,
                    changes: try FieldChange.diff(before: Optional<Asset>.none, after: asset), isCreation: true))
            return asset.id
        }
        return try await AssetStore.load(id: id, on: context.database.sql).orInternal("the record")
    }

    public func get(_ tag: String, by principal: Principal) async throws -> Asset {
        try principal.require(ITServiceDeskPermissions.assetRead)
        guard let asset = try await AssetStore.load(tag: tag.uppercased(), on: context.database.sql) else { throw VigilError.notFound("asset \(tag)") }
        try context.authorization.requireVisible(principal, region: asset.regionCode, entity: "asset \(tag)")
        return asset
    }

    /// A page of assets in tag order; site and status filters follow the list's index.
    public func list(_ filter: AssetFilter, page: PageRequest, by principal: Principal) async throws -> Page<Asset> {
        try principal.require(ITServiceDeskPermissions.assetRead)
        let sql = context.database.sql
        var query = SQLQueryString(stringLiteral: Asset.plainSelect) + " WHERE 1 = 1"
        var names = try await AssetNames.current(context)
        if let site = filter.site {
            let code = site.uppercased()
            var match = names.sites.first { $0.value.code == code }
            if match == nil {
                // A site added within the cache's lifetime, maybe by another process.
                AssetNames.cache.invalidateAll()
                names = try await AssetNames.load(on: sql)
                match = names.sites.first { $0.value.code == code }
            }
            let found = try context.authorization.referenced(
                match, region: { RegionCode(stored: $0.value.region) }, by: principal, field: "site",
                "\(site) is not a site you may use")
            query += " AND a.site_id = \(bind: found.key)"
        } else if principal.regions.filter != nil {
            let visible = names.sites.filter { principal.canAccess(RegionCode(stored: $0.value.region)) }.map(\.key).sorted()
            if visible.isEmpty { return Page(items: [], nextCursor: nil) }
            query += " AND a.site_id IN (\(binds: visible))"
        }
        if let status = filter.status { query += " AND a.status = \(bind: status.rawValue)" }
        if let category = filter.category { query += " AND a.category = \(bind: category)" }
        if let assigned = filter.assignedTo { query += " AND a.assigned_to = \(bind: assigned)" }
        if let after = page.after {
            guard after.values.count == 1, case .text(let tag) = after.values[0] else { throw VigilError.invalid("cursor", .format, "belongs to another list") }
            query += " AND a.tag > \(bind: tag)"
        }
        query += " ORDER BY a.tag LIMIT \(unsafeRaw: String(page.limit + 1))"
        let rows = try await sql.raw(query).all()
        let resolved = try await AssetNames.current(context, covering: rows)
        let assets = try rows.map { try Asset(RowReader($0), names: resolved) }
        return assets.page(limit: page.limit) { Cursor([.text($0.tag)]) }
    }

    /// A page of an asset's history, oldest first.
    public func history(_ tag: String, page: PageRequest = PageRequest(), by principal: Principal) async throws -> Page<AssetEvent> {
        let asset = try await get(tag, by: principal)
        return try await AssetStore.history.page(of: asset.id, after: page.after, limit: page.limit, on: context.database.sql) { line in
            AssetEvent(
                id: line.id, at: line.at, actor: line.actor, kind: try line.kind(AssetEventKind.self), text: line.text,
                fromStatus: try line.row.optional("from_status", as: String.self), toStatus: try line.row.optional("to_status", as: String.self),
                details: line.details)
        }
    }

    // MARK: Lifecycle

    /// Moves an asset along the lifecycle table. Deploying is a check-out; disposing says how.
    public func transition(
        _ tag: String, to target: AssetStatus, disposal: AssetDisposal? = nil, note: String? = nil, expectedVersion: Int,
        by invocation: Invocation
    ) async throws -> Asset {
        try invocation.principal.require(ITServiceDeskPermissions.assetManage)
        let asset = try await get(tag, by: invocation.principal)
        try Self.checkMove(asset, to: target, disposal: disposal)
        return try await context.transaction(invocation) { tx in
            try await self.apply(asset, to: target, disposal: disposal, note: note, expectedVersion: expectedVersion, in: tx)
            return try await AssetStore.load(id: asset.id, on: tx.sql).orInternal("the record")
        }
    }

    static func checkMove(_ asset: Asset, to target: AssetStatus, disposal: AssetDisposal?) throws {
        guard target != .deployed else { throw VigilError(.conflict, "an asset is deployed by checking it out to a person or place") }
        guard AssetLifecycle.allows(asset.status, target) else {
            let allowed = (AssetLifecycle.transitions[asset.status] ?? []).map(\.rawValue).sorted()
            throw VigilError(
                .conflict,
                "\(asset.tag) is \(asset.status.rawValue) and cannot become \(target.rawValue); "
                    + (allowed.isEmpty ? "it is final" : "it can become \(allowed.joined(separator: ", "))"))
        }
        if target == .disposed {
            guard let disposal else { throw VigilError.invalid("disposal", .required, "say how the asset left (method) and for how much (value)") }
            var validator = Validator()
            validator.check(
                AssetLifecycle.disposalMethods.contains(disposal.method), "disposal.method", .notAllowed,
                "must be one of \(AssetLifecycle.disposalMethods.joined(separator: ", "))")
            validator.checkAmount(disposal.value, "disposal.value")
            try validator.finish()
        }
    }

    /// Writes one lifecycle move with its history line and audit record.
    func apply(_ asset: Asset, to target: AssetStatus, disposal: AssetDisposal?, note: String?, expectedVersion: Int, in tx: Transaction) async throws {
        var assignments: [(column: String, value: any Encodable & Sendable)] = [("status", target.rawValue), ("updated_at", tx.now.epochMicros)]
        let today = localToday(asset, at: tx.now)
        if target == .retired { assignments.append(("retired_on", today.description)) }
        if target == .inStock || target == .retired || target == .inRepair {
            assignments.append(("assigned_to", String?.none))
            assignments.append(("check_in_due", String?.none))
        }
        if let disposal {
            assignments.append(("disposal_method", disposal.method))
            assignments.append(("disposal_value", disposal.value))
        }
        _ = try await tx.updateVersioned(
            table: "it_assets", id: asset.id, expectedVersion: expectedVersion, entity: "asset \(asset.tag)", assignments: assignments)
        var details: [String: JSONValue] = [:]
        if let note { details["note"] = .string(note) }
        if let disposal { details["disposal"] = .string("\(disposal.method) \(MoneyText.text(disposal.value, currency: asset.currency)) \(asset.currency)") }
        try await AssetStore.record(asset.id, kind: .status, from: asset.status, to: target, details: .object(details), ids: context.ids, in: tx)
        let after = try await AssetStore.load(id: asset.id, on: tx.sql).orInternal("the record")
        try await tx.audit(
            AuditEntry(
                action: "it-service-desk.asset.\(target.rawValue)", entity: EntityRef("it-service-desk.asset", asset.id), region: asset.regionCode,
                changes: try FieldChange.diff(before: asset, after: after)))
    }

    /// Hands an in-stock asset to a person or a place until an expected date.
    public func checkOut(_ tag: String, to holder: String, expectedBack: LocalDate?, expectedVersion: Int, by invocation: Invocation) async throws -> Asset {
        try invocation.principal.require(ITServiceDeskPermissions.assetManage)
        let asset = try await get(tag, by: invocation.principal)
        let trimmed = holder.trimmingCharacters(in: .whitespaces)
        guard (1...200).contains(trimmed.count) else { throw VigilError.invalid("to", .required, "name the person (email) or the place") }
        guard asset.status == .inStock else { throw VigilError(.conflict, "\(asset.tag) is \(asset.status.rawValue); only an asset in stock is checked out") }
        if let expectedBack, expectedBack < localToday(asset, at: context.clock.now()) {
            throw VigilError.invalid("expectedBack", .outOfRange, "is in the past")
        }
        return try await context.transaction(invocation) { tx in
            _ = try await tx.updateVersioned(
                table: "it_assets", id: asset.id, expectedVersion: expectedVersion, entity: "asset \(tag)",
                assignments: [
                    ("status", AssetStatus.deployed.rawValue), ("assigned_to", trimmed), ("check_in_due", expectedBack?.description),
                    ("updated_at", tx.now.epochMicros),
                ])
            var details: [String: JSONValue] = ["to": .string(trimmed)]
            if let expectedBack { details["expectedBack"] = .string(expectedBack.description) }
            try await AssetStore.record(asset.id, kind: .checkOut, from: asset.status, to: .deployed, details: .object(details), ids: context.ids, in: tx)
            let after = try await AssetStore.load(id: asset.id, on: tx.sql).orInternal("the record")
            try await tx.audit(
                AuditEntry(
                    action: "it-service-desk.asset.check-out", entity: EntityRef("it-service-desk.asset", asset.id), region: asset.regionCode,
                    changes: try FieldChange.diff(before: asset, after: after)))
            return after
        }
    }

    public func checkIn(_ tag: String, note: String?, expectedVersion: Int, by invocation: Invocation) async throws -> Asset {
        try invocation.principal.require(ITServiceDeskPermissions.assetManage)
        let asset = try await get(tag, by: invocation.principal)
        guard asset.status == .deployed else { throw VigilError(.conflict, "\(asset.tag) is \(asset.status.rawValue); only a deployed asset is checked in") }
        return try await context.transaction(invocation) { tx in
            _ = try await tx.updateVersioned(
                table: "it_assets", id: asset.id, expectedVersion: expectedVersion, entity: "asset \(tag)",
                assignments: [
                    ("status", AssetStatus.inStock.rawValue), ("assigned_to", String?.none), ("check_in_due", String?.none), ("updated_at", tx.now.epochMicros),
                ])
            var details: [String: JSONValue] = ["from": .string(asset.assignedTo ?? "")]
            if let note { details["note"] = .string(note) }
            try await AssetStore.record(asset.id, kind: .checkIn, from: .deployed, to: .inStock, details: .object(details), ids: context.ids, in: tx)
            let after = try await AssetStore.load(id: asset.id, on: tx.sql).orInternal("the record")
            try await tx.audit(
                AuditEntry(
                    action: "it-service-desk.asset.check-in", entity: EntityRef("it-service-desk.asset", asset.id), region: asset.regionCode,
                    changes: try FieldChange.diff(before: asset, after: after)))
            return after
        }
    }

    /// Records a physical audit: seen on a date (today by default), next one due a period later.
    public func audit(_ tag: String, on date: LocalDate?, note: String?, by invocation: Invocation) async throws -> Asset {
        try invocation.principal.require(ITServiceDeskPermissions.assetManage)
        let asset = try await get(tag, by: invocation.principal)
        let today = localToday(asset, at: context.clock.now())
        let day = date ?? today
        guard day <= today else { throw VigilError.invalid("date", .outOfRange, "an audit cannot be in the future") }
        let next = day.adding(months: auditIntervalMonths)
        return try await context.transaction(invocation) { tx in
            try await tx.sql.raw(
                """
                UPDATE it_assets SET last_audit = \(bind: day.description), next_audit_due = \(bind: next.description), updated_at = \(bind: tx.now.epochMicros),
                    version = version + 1 WHERE id = \(bind: asset.id)
                """
            ).run()
            var details: [String: JSONValue] = ["date": .string(day.description), "next": .string(next.description)]
            if let note { details["note"] = .string(note) }
            try await AssetStore.record(asset.id, kind: .audit, from: nil, to: nil, details: .object(details), ids: context.ids, in: tx)
            let after = try await AssetStore.load(id: asset.id, on: tx.sql).orInternal("the record")
            try await tx.audit(
                AuditEntry(
                    action: "it-service-desk.asset.audit", entity: EntityRef("it-service-desk.asset", asset.id), region: asset.regionCode,
                    changes: try FieldChange.diff(before: asset, after: after)))
            return after
        }
    }

    /// One action on many assets, all or nothing: every asset is checked first and every problem
    /// reported; only then is anything written, in one transaction.
    public func bulk(_ input: AssetBulkInput, by invocation: Invocation) async throws -> [Asset] {
        try invocation.principal.require(ITServiceDeskPermissions.assetManage)
        guard (1...1_000).contains(input.tags.count) else { throw VigilError.invalid("tags", .outOfRange, "give 1 to 1000 tags") }
        guard Set(input.tags.map { $0.uppercased() }).count == input.tags.count else { throw VigilError.invalid("tags", .invalid, "a tag is named twice") }
        var assets: [Asset] = []
        var issues: [FieldIssue] = []
        for (index, tag) in input.tags.enumerated() {
            guard let asset = try await AssetStore.load(tag: tag.uppercased(), on: context.database.sql), invocation.principal.canAccess(asset.regionCode)
            else {
                issues.append(FieldIssue("tags[\(index)]", .notAllowed, "no asset is tagged \(tag)"))
                continue
            }
            assets.append(asset)
        }
        var site: AssetLookups.SiteRef?
        switch input.action {
        case .transition:
            guard let target = input.status.flatMap(AssetStatus.init(rawValue:)) else {
                throw VigilError.invalid("status", .notAllowed, "give the status to move to")
            }
            for (index, asset) in assets.enumerated() {
                do { try Self.checkMove(asset, to: target, disposal: input.disposal) } catch let error as VigilError {
                    issues.append(FieldIssue("tags[\(index)]", .notAllowed, error.fields.first?.message ?? error.detail))
                }
            }
        case .move:
            guard let code = input.site?.uppercased(), let found = try await AssetLookups.load(on: context.database.sql).sites[code],
                invocation.principal.canAccess(found.region)
            else { throw VigilError.invalid("site", .notAllowed, "give a site you may change") }
            site = found
        case .audit: break
        }
        if !issues.isEmpty { throw VigilError.invalid(issues) }
        let target = input.status.flatMap(AssetStatus.init(rawValue:))
        let months = auditIntervalMonths
        let (checked, destination) = (assets, site)
        let ids = try await context.transaction(invocation) { tx in
            for asset in checked {
                switch input.action {
                case .transition: try await self.apply(asset, to: target!, disposal: input.disposal, note: input.note, expectedVersion: asset.version, in: tx)
                case .move:
                    try await tx.sql.raw(
                        """
                        UPDATE it_assets SET site_id = \(bind: destination!.id), cost_center_id = NULL, location = \(bind: input.note), updated_at = \(bind: tx.now.epochMicros),
                            version = version + 1 WHERE id = \(bind: asset.id)
                        """
                    ).run()
                    try await AssetStore.record(
                        asset.id, kind: .move, from: nil, to: nil, details: .object(["from": .string(asset.site), "to": .string(input.site!.uppercased())]),
                        ids: context.ids, in: tx)
                    try await tx.audit(
                        AuditEntry(
                            action: "it-service-desk.asset.move", entity: EntityRef("it-service-desk.asset", asset.id), region: asset.regionCode,
                            changes: [FieldChange(field: "site", before: .string(asset.site), after: .string(input.site!.uppercased()))]))
                case .audit:
                    let day = self.localToday(asset, at: tx.now)
                    try await tx.sql.raw(
                        """
                        UPDATE it_assets SET last_audit = \(bind: day.description), next_audit_due = \(bind: day.adding(months: months).description),
                            updated_at = \(bind: tx.now.epochMicros), version = version + 1 WHERE id = \(bind: asset.id)
                        """
                    ).run()
                    try await AssetStore.record(
                        asset.id, kind: .audit, from: nil, to: nil, details: .object(["date": .string(day.description)]), ids: context.ids, in: tx)
                    try await tx.audit(
                        AuditEntry(
                            action: "it-service-desk.asset.audit", entity: EntityRef("it-service-desk.asset", asset.id), region: asset.regionCode,
                            changes: [FieldChange(field: "lastAudit", before: asset.lastAudit.map { .string($0.description) }, after: .string(day.description))]
                        ))
                }
            }
            return checked.map(\.id)
        }
        var result: [Asset] = []
        for id in ids { if let asset = try await AssetStore.load(id: id, on: context.database.sql) { result.append(asset) } }
        return result
    }

    /// Assets needing attention: audits overdue, check-ins overdue, warranties ending soon.
    public func attention(_ kind: AssetAttention, site: String?, withinDays: Int = 60, by principal: Principal) async throws -> [Asset] {
        guard (1...730).contains(withinDays) else { throw VigilError.invalid("withinDays", .outOfRange, "must be 1 to 730") }
        try principal.require(ITServiceDeskPermissions.assetRead)
        // A site's own today when one is named; otherwise UTC's.
        var zone = "UTC"
        if let site, let found = try await SiteStore.load(code: site.uppercased(), on: context.database.sql) { zone = found.timeZone }
        let today = LocalDate(of: context.clock.now(), in: zone)
        var query = SQLQueryString(stringLiteral: Asset.select)
        switch kind {
        case .auditOverdue:
            query += " WHERE (a.next_audit_due IS NULL OR a.next_audit_due < \(bind: today.description)) AND a.status NOT IN ('retired', 'disposed', 'ordered')"
        case .checkInOverdue: query += " WHERE a.status = 'deployed' AND a.check_in_due < \(bind: today.description)"
        case .warrantyEnding:
            query +=
                " WHERE a.warranty_end >= \(bind: today.description) AND a.warranty_end <= \(bind: today.adding(days: withinDays).description) AND a.status NOT IN ('retired', 'disposed')"
        }
        if let site { query += " AND s.code = \(bind: site.uppercased())" }
        if let regions = principal.regions.filter { query += " AND s.region IN (\(binds: regions.map(\.rawValue)))" }
        query += " ORDER BY a.tag LIMIT 1000"
        return try await context.database.sql.raw(query).all().map { try Asset(joined: RowReader($0)) }
    }

    func localToday(_ asset: Asset, at instant: Date) -> LocalDate {
        LocalDate(of: instant, in: asset.timeZone)
    }
}

public enum AssetAttention: String, Sendable, CaseIterable {
    case auditOverdue = "audit-overdue", checkInOverdue = "check-in-overdue", warrantyEnding = "warranty-ending"
}

public struct AssetDisposal: Codable, Sendable, Hashable {
    public let method: String
    /// Minor units of the asset's currency.
    public let value: Int64

    public init(method: String, value: Int64) {
        self.method = method
        self.value = value
    }
}

public struct AssetFilter: Sendable {
    public var site: String?
    public var status: AssetStatus?
    public var category: String?
    public var assignedTo: String?

    public init(site: String? = nil, status: AssetStatus? = nil, category: String? = nil, assignedTo: String? = nil) {
        self.site = site
        self.status = status
        self.category = category
        self.assignedTo = assignedTo
    }
}

public struct AssetBulkInput: Codable, Sendable {
    public enum Action: String, Codable, Sendable { case transition, move, audit }
    public var tags: [String]
    public var action: Action
    public var status: String?
    public var site: String?
    public var disposal: AssetDisposal?
    public var note: String?

    public init(tags: [String], action: Action, status: String? = nil, site: String? = nil, disposal: AssetDisposal? = nil, note: String? = nil) {
        self.tags = tags
        self.action = action
        self.status = status
        self.site = site
        self.disposal = disposal
        self.note = note
    }
}

enum AssetStore {
    static func load(tag: String, on sql: any SQLDatabase) async throws -> Asset? {
        try await sql.raw(SQLQueryString(stringLiteral: Asset.select) + " WHERE a.tag = \(bind: tag)").first().map { try Asset(joined: RowReader($0)) }
    }

    static func load(id: String, on sql: any SQLDatabase) async throws -> Asset? {
        try await sql.raw(SQLQueryString(stringLiteral: Asset.select) + " WHERE a.id = \(bind: id)").first().map { try Asset(joined: RowReader($0)) }
    }

    /// An asset's history on the shared mechanism, with the statuses it moved between.
    static let history = HistoryLog(table: "it_asset_history", subject: "asset_id", extraColumns: ["from_status", "to_status"])

    static func record(
        _ assetID: String, kind: AssetEventKind, from: AssetStatus?, to: AssetStatus?, details: JSONValue, ids: any IDGenerator, in tx: Transaction
    ) async throws {
        let line = HistoryLine(id: ids.next().lowercased, subject: assetID, kind: kind, text: nil, details: details, in: tx)
        try await history.append(line, extra: [from?.rawValue, to?.rawValue], on: tx.sql)
    }
}
