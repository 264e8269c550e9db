import Calendars
import Foundation
import JSONCoding
import Kernel
import SQLKit

public enum AssetStatus: String, Codable, Sendable, StoredEnum {
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
        SELECT \(columns(qualifiedBy: "a")), m.name AS model, s.code AS site, s.region AS region, s.time_zone AS time_zone, c.code AS cost_center
        FROM it_assets a JOIN it_asset_models m ON m.id = a.model_id JOIN it_sites s ON s.id = a.site_id LEFT JOIN it_cost_centers c ON c.id = a.cost_center_id
        """

    /// The asset table's own columns, for pages that resolve names from `AssetNames`.
    static let plainSelect = "SELECT \(columns(qualifiedBy: "a")) FROM it_assets a"

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

extension Asset: StoredRow {
    /// The asset table's own columns, names unresolved ("?"): what its column list is recorded
    /// with. Rows of `select` are read by `init(joined:)`, rows of `plainSelect` by `init(_:names:)`.
    public init(_ row: RowReader) throws { try self.init(row, names: AssetNames(sites: [:], models: [:], costCenters: [:])) }

    /// From a row of `select` (names joined in).
    init(joined row: RowReader) throws {
        try self.init(
            row, model: try row["model"], site: try row["site"], region: try row["region"], timeZone: try row["time_zone"],
            costCenter: try row["cost_center"])
    }

    /// From a row of `plainSelect`, with the names it refers to.
    init(_ row: RowReader, names: AssetNames) throws {
        let modelID: String = try row["model_id"]
        let siteID: String = try row["site_id"]
        let costCenterID: String? = try row["cost_center_id"]
        let site = names.sites[siteID]
        try self.init(
            row, model: names.models[modelID] ?? "?", site: site?.code ?? "?", region: site?.region ?? "", timeZone: site?.timeZone ?? "UTC",
            costCenter: costCenterID.map { names.costCenters[$0] ?? "?" })
    }

    /// The names come in apart: joined in by `select` or resolved from `AssetNames`, they are no
    /// columns of the asset table.
    private init(_ row: RowReader, model: String, site: String, region: String, timeZone: String, costCenter: String?) throws {
        id = try row["id"]
        tag = try row["tag"]
        serial = try row["serial"]
        self.model = model
        category = try row["category"]
        status = try row["status"]
        self.site = site
        self.region = region
        self.timeZone = timeZone
        self.costCenter = costCenter
        assignedTo = try row["assigned_to"]
        location = try row["location"]
        supplier = try row["supplier"]
        purchaseOrder = try row["purchase_order"]
        invoice = try row["invoice"]
        purchaseDate = try row["purchase_date"]
        cost = try row["cost"]
        currency = try row["currency"]
        salvage = try row["salvage"]
        lifeMonths = try row["life_months"]
        depreciation = try row["depreciation"]
        warrantyEnd = try row["warranty_end"]
        checkInDue = try row["check_in_due"]
        lastAudit = try row["last_audit"]
        nextAuditDue = try row["next_audit_due"]
        disposalMethod = try row["disposal_method"]
        disposalValue = try row["disposal_value"]
        retiredOn = try row["retired_on"]
        importId = try row["import_id"]
        createdAt = try row["created_at"]
        updatedAt = try row["updated_at"]
        version = try row["version"]
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
}

extension AssetModel: StoredRow {
    public init(_ row: RowReader) throws {
        id = try row["id"]
        name = try row["name"]
        manufacturer = try row["manufacturer"]
        category = try row["category"]
        expectedLifeMonths = try row["expected_life_months"]
        unitCost = try row["unit_cost"]
        currency = try row["currency"]
        depreciation = try row["depreciation"]
        version = try row["version"]
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
