import Calendars
import Foundation
import JSONCoding
import Kernel
import SQLKit

public enum AssetStatus: String, Codable, Sendable, CaseIterable {
    case ordered, inStock = "in-stock", deployed, inRepair = "in-repair", retired, disposed
}

/// The asset lifecycle as a table of allowed moves. Deploying goes through a check-out (to a
/// person or a place); disposing records how and for how much.
public enum AssetLifecycle {
    public static let transitions: [AssetStatus: Set<AssetStatus>] = [
        .ordered: [.inStock, .retired],
        .inStock: [.deployed, .inRepair, .retired],
        .deployed: [.inStock, .inRepair, .retired],
        .inRepair: [.inStock, .retired],
        .retired: [.disposed],
        .disposed: [],
    ]

    public static func allows(_ from: AssetStatus, _ to: AssetStatus) -> Bool { transitions[from]?.contains(to) ?? false }

    public static let disposalMethods = ["sold", "recycled", "donated", "destroyed", "returned-to-lessor"]
}

public enum AssetCategory {
    public static let all = ["laptop", "desktop", "monitor", "phone", "tablet", "printer", "network", "server", "peripheral", "other"]
}

extension DepreciationMethod {
    /// `straight-line`, or `declining-balance:2` (the factor; 2 is double-declining).
    public var text: String {
        switch self {
        case .straightLine: "straight-line"
        case .decliningBalance(let factor): "declining-balance:\(factor == factor.rounded() ? String(Int(factor)) : String(factor))"
        }
    }

    public init?(text: String) {
        if text == "straight-line" { self = .straightLine; return }
        let parts = text.split(separator: ":")
        if parts.first == "declining-balance" {
            let factor = parts.count == 2 ? Double(parts[1]) : 2
            guard let factor, factor > 0, factor <= 4 else { return nil }
            self = .decliningBalance(factor: factor)
            return
        }
        return nil
    }
}

/// A piece of IT equipment with its money, place, person and lifecycle.
public struct Asset: Codable, Sendable, Hashable {
    public let id: String
    public let tag: String
    public let serial: String?
    public let model: String
    public let category: String
    public let status: AssetStatus
    public let site: String
    public let region: String
    /// The site's time zone: "today" for this asset (audits, check-ins) is the site's today.
    public let timeZone: String
    public let costCenter: String?
    public let assignedTo: String?
    public let location: String?
    public let supplier: String?
    public let purchaseOrder: String?
    public let invoice: String?
    public let purchaseDate: LocalDate
    /// Minor units of `currency`.
    public let cost: Int64
    public let currency: String
    public let salvage: Int64
    public let lifeMonths: Int
    public let depreciation: String
    public let warrantyEnd: LocalDate?
    public let checkInDue: LocalDate?
    public let lastAudit: LocalDate?
    public let nextAuditDue: LocalDate?
    public let disposalMethod: String?
    public let disposalValue: Int64?
    public let retiredOn: LocalDate?
    public let importId: String?
    public let createdAt: Date
    public let updatedAt: Date
    public let version: Int

    /// Joined with the site, model and cost center so that the list reads codes, not ids.
    static let select = """
        SELECT a.id, a.tag, a.serial, m.name AS model, a.category, a.status, s.code AS site, s.region AS region, s.time_zone AS time_zone, c.code AS cost_center, a.assigned_to, a.location,
            a.supplier, a.purchase_order, a.invoice, a.purchase_date, a.cost, a.currency, a.salvage, a.life_months, a.depreciation, a.warranty_end, a.check_in_due,
            a.last_audit, a.next_audit_due, a.disposal_method, a.disposal_value, a.retired_on, a.import_id, a.created_at, a.updated_at, a.version
        FROM it_assets a JOIN it_asset_models m ON m.id = a.model_id JOIN it_sites s ON s.id = a.site_id LEFT JOIN it_cost_centers c ON c.id = a.cost_center_id
        """

    /// The asset table's own columns, for pages that resolve names from `AssetNames`.
    static let plainSelect = """
        SELECT a.id, a.tag, a.serial, a.model_id, a.category, a.status, a.site_id, a.cost_center_id, a.assigned_to, a.location, a.supplier, a.purchase_order,
            a.invoice, a.purchase_date, a.cost, a.currency, a.salvage, a.life_months, a.depreciation, a.warranty_end, a.check_in_due, a.last_audit,
            a.next_audit_due, a.disposal_method, a.disposal_value, a.retired_on, a.import_id, a.created_at, a.updated_at, a.version
        FROM it_assets a
        """

    /// From a row of `select` (names joined in).
    init(row: any SQLRow) throws {
        try self.init(
            row: row, model: try row.decode(column: "model", as: String.self), site: try row.decode(column: "site", as: String.self),
            region: try row.decode(column: "region", as: String.self), timeZone: try row.decode(column: "time_zone", as: String.self),
            costCenter: try row.optional("cost_center", as: String.self))
    }

    /// From a row of `plainSelect`, with the names it refers to.
    init(row: any SQLRow, names: AssetNames) throws {
        let site = names.sites[try row.decode(column: "site_id", as: String.self)]
        try self.init(
            row: row, model: names.models[try row.decode(column: "model_id", as: String.self)] ?? "?", site: site?.code ?? "?", region: site?.region ?? "",
            timeZone: site?.timeZone ?? "UTC", costCenter: try row.optional("cost_center_id", as: String.self).map { names.costCenters[$0] ?? "?" })
    }

    private init(row: any SQLRow, model: String, site: String, region: String, timeZone: String, costCenter: String?) throws {
        func date(_ column: String) throws -> LocalDate? { try row.optionalDate(column) }
        id = try row.decode(column: "id", as: String.self)
        tag = try row.decode(column: "tag", as: String.self)
        serial = try row.optional("serial", as: String.self)
        self.model = model
        category = try row.decode(column: "category", as: String.self)
        status = try row.decode("status", as: AssetStatus.self)
        self.site = site
        self.region = region
        self.timeZone = timeZone
        self.costCenter = costCenter
        assignedTo = try row.optional("assigned_to", as: String.self)
        location = try row.optional("location", as: String.self)
        supplier = try row.optional("supplier", as: String.self)
        purchaseOrder = try row.optional("purchase_order", as: String.self)
        invoice = try row.optional("invoice", as: String.self)
        purchaseDate = try row.date("purchase_date")
        cost = try row.decode(column: "cost", as: Int64.self)
        currency = try row.decode(column: "currency", as: String.self)
        salvage = try row.decode(column: "salvage", as: Int64.self)
        lifeMonths = try row.decode(column: "life_months", as: Int.self)
        depreciation = try row.decode(column: "depreciation", as: String.self)
        warrantyEnd = try date("warranty_end")
        checkInDue = try date("check_in_due")
        lastAudit = try date("last_audit")
        nextAuditDue = try date("next_audit_due")
        disposalMethod = try row.optional("disposal_method", as: String.self)
        disposalValue = try row.optional("disposal_value", as: Int64.self)
        retiredOn = try date("retired_on")
        importId = try row.optional("import_id", as: String.self)
        createdAt = Date(epochMicros: try row.decode(column: "created_at", as: Int64.self))
        updatedAt = Date(epochMicros: try row.decode(column: "updated_at", as: Int64.self))
        version = try row.decode(column: "version", as: Int.self)
    }

    var regionCode: RegionCode { RegionCode(stored: region) }

    public var terms: DepreciationTerms {
        get throws {
            guard let method = DepreciationMethod(text: depreciation) else {
                throw StoredValueError(column: "depreciation", value: depreciation, type: "depreciation method")
            }
            return DepreciationTerms(cost: cost, salvage: salvage, lifeMonths: lifeMonths, inService: purchaseDate, method: method)
        }
    }
}

/// A model of equipment: what it is, how long it lasts and what it costs, the defaults of its assets.
public struct AssetModel: Codable, Sendable, Hashable {
    public let id: String
    public let name: String
    public let manufacturer: String
    public let category: String
    public let expectedLifeMonths: Int
    public let unitCost: Int64
    public let currency: String
    public let depreciation: String
    public let version: Int

    static let columns = "id, name, manufacturer, category, expected_life_months, unit_cost, currency, depreciation, version"

    init(row: any SQLRow) throws {
        id = try row.decode(column: "id", as: String.self)
        name = try row.decode(column: "name", as: String.self)
        manufacturer = try row.decode(column: "manufacturer", as: String.self)
        category = try row.decode(column: "category", as: String.self)
        expectedLifeMonths = try row.decode(column: "expected_life_months", as: Int.self)
        unitCost = try row.decode(column: "unit_cost", as: Int64.self)
        currency = try row.decode(column: "currency", as: String.self)
        depreciation = try row.decode(column: "depreciation", as: String.self)
        version = try row.decode(column: "version", as: Int.self)
    }
}

public struct AssetModelInput: Codable, Sendable {
    public var name: String
    public var manufacturer: String
    public var category: String
    public var expectedLifeMonths: Int
    public var unitCost: Int64
    public var currency: String
    public var depreciation: String?

    public init(name: String, manufacturer: String, category: String, expectedLifeMonths: Int, unitCost: Int64, currency: String, depreciation: String? = nil) {
        self.name = name
        self.manufacturer = manufacturer
        self.category = category
        self.expectedLifeMonths = expectedLifeMonths
        self.unitCost = unitCost
        self.currency = currency
        self.depreciation = depreciation
    }
}

/// One line of asset history: a move, a check-out or in, an audit, an edit.
/// What a line of an asset's history says happened.
public enum AssetEventKind: String, Codable, Sendable, CaseIterable {
    case registered, status, audit, move
    case checkOut = "check-out"
    case checkIn = "check-in"
}

public struct AssetEvent: Codable, Sendable, Hashable {
    public let id: String
    public let at: Date
    public let actor: String
    public let kind: AssetEventKind
    public let text: String?
    public let fromStatus: String?
    public let toStatus: String?
    public let details: JSONValue
}

extension Asset: JSONWritable {
    /// The Codable form written by hand: the asset list writes fifty of these per request.
    public func writeJSON(to buffer: inout JSONBuffer) {
        buffer.beginObject()
        buffer.key("id"); buffer.string(id)
        buffer.key("tag"); buffer.string(tag)
        buffer.string("serial", serial)
        buffer.key("model"); buffer.string(model)
        buffer.key("category"); buffer.string(category)
        buffer.key("status"); buffer.string(status.rawValue)
        buffer.key("site"); buffer.string(site)
        buffer.key("region"); buffer.string(region)
        buffer.key("timeZone"); buffer.string(timeZone)
        buffer.string("costCenter", costCenter)
        buffer.string("assignedTo", assignedTo)
        buffer.string("location", location)
        buffer.string("supplier", supplier)
        buffer.string("purchaseOrder", purchaseOrder)
        buffer.string("invoice", invoice)
        buffer.key("purchaseDate"); buffer.string(purchaseDate.description)
        buffer.key("cost"); buffer.integer(cost)
        buffer.key("currency"); buffer.string(currency)
        buffer.key("salvage"); buffer.integer(salvage)
        buffer.key("lifeMonths"); buffer.integer(lifeMonths)
        buffer.key("depreciation"); buffer.string(depreciation)
        buffer.string("warrantyEnd", warrantyEnd?.description)
        buffer.string("checkInDue", checkInDue?.description)
        buffer.string("lastAudit", lastAudit?.description)
        buffer.string("nextAuditDue", nextAuditDue?.description)
        buffer.string("disposalMethod", disposalMethod)
        if let disposalValue { buffer.key("disposalValue"); buffer.integer(disposalValue) }
        buffer.string("retiredOn", retiredOn?.description)
        buffer.string("importId", importId)
        buffer.key("createdAt"); buffer.date(createdAt)
        buffer.key("updatedAt"); buffer.date(updatedAt)
        buffer.key("version"); buffer.integer(version)
        buffer.endObject()
    }
}
