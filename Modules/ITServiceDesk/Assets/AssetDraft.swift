import Calendars
import Foundation
import Kernel
import Monetary
import SQLKit

/// The columns of an asset in CSV, in order: import and export use the same ones.
public enum AssetColumns {
    public static let all = [
        "tag", "serial", "model", "status", "site", "cost_center", "assigned_to", "location", "supplier", "purchase_order", "invoice",
        "purchase_date", "cost", "currency", "salvage", "life_months", "depreciation", "warranty_end", "last_audit", "next_audit_due",
        "disposal_method", "disposal_value", "retired_on",
    ]
    public static let required = ["tag", "model", "site", "purchase_date", "cost", "currency"]
}

/// An asset as text fields (a CSV row, or a JSON body turned into one), before checking.
public struct AssetFields: Sendable {
    public var values: [String: String]

    public init(_ values: [String: String]) { self.values = values }

    subscript(_ column: String) -> String? {
        guard let value = values[column].map(Self.trimmed), !value.isEmpty else { return nil }
        return value
    }

    /// Spaces and tabs off both ends, looking at bytes only: a million rows of twenty fields each
    /// go through here, and almost none has anything to trim.
    static func trimmed(_ text: String) -> String {
        let utf8 = text.utf8
        func blank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }
        guard let first = utf8.first, let last = utf8.last, blank(first) || blank(last) else { return text }
        let start = utf8.firstIndex { !blank($0) } ?? utf8.endIndex
        guard start != utf8.endIndex else { return "" }
        let end = utf8.lastIndex { !blank($0) }!
        return String(text[start...end])
    }
}

/// What the checks need to know: models, sites and cost centers by their names and codes.
struct AssetLookups: Sendable {
    struct ModelRef: Sendable { let id: String; let category: String; let lifeMonths: Int; let depreciation: String }
    struct SiteRef: Sendable { let id: String; let region: RegionCode; let timeZone: String }
    struct CostCenterRef: Sendable { let id: String; let siteID: String }

    let models: [String: ModelRef]
    let sites: [String: SiteRef]
    let costCenters: [String: CostCenterRef]

    static func load(on sql: any SQLDatabase) async throws -> AssetLookups {
        var models: [String: ModelRef] = [:]
        for row in try await sql.raw("SELECT id, name, category, expected_life_months, depreciation FROM it_asset_models").all() {
            models[try row.decode(column: "name", as: String.self)] = ModelRef(
                id: try row.decode(column: "id", as: String.self), category: try row.decode(column: "category", as: String.self),
                lifeMonths: try row.decode(column: "expected_life_months", as: Int.self), depreciation: try row.decode(column: "depreciation", as: String.self))
        }
        var sites: [String: SiteRef] = [:]
        for row in try await sql.raw("SELECT id, code, region, time_zone FROM it_sites").all() {
            sites[try row.decode(column: "code", as: String.self)] = SiteRef(
                id: try row.decode(column: "id", as: String.self), region: RegionCode(stored: try row.decode(column: "region", as: String.self)),
                timeZone: try row.decode(column: "time_zone", as: String.self))
        }
        var centers: [String: CostCenterRef] = [:]
        for row in try await sql.raw("SELECT id, code, site_id FROM it_cost_centers").all() {
            centers[try row.decode(column: "code", as: String.self)] = CostCenterRef(
                id: try row.decode(column: "id", as: String.self), siteID: try row.decode(column: "site_id", as: String.self))
        }
        return AssetLookups(models: models, sites: sites, costCenters: centers)
    }
}

/// A checked asset, ready to write.
struct AssetDraft: Sendable {
    let tag: String
    let serial: String?
    let modelID: String
    let category: String
    let status: AssetStatus
    let siteID: String
    let region: RegionCode
    let costCenterID: String?
    let assignedTo: String?
    let location: String?
    let supplier: String?
    let purchaseOrder: String?
    let invoice: String?
    let purchaseDate: String
    let cost: Int64
    let currency: String
    let salvage: Int64
    let lifeMonths: Int
    let depreciation: String
    let warrantyEnd: String?
    let lastAudit: String?
    let nextAuditDue: String?
    let disposalMethod: String?
    let disposalValue: Int64?
    let retiredOn: String?

    /// Checks every field and reports every problem at once; nothing is looked up in the
    /// database here, so a file of a million rows is checked at the speed of the CPU.
    static func check(_ fields: AssetFields, lookups: AssetLookups, principal: Principal) -> Result<AssetDraft, VigilError> {
        var issues: [FieldIssue] = []
        func issue(_ field: String, _ code: FieldIssue.Code, _ message: String) { issues.append(FieldIssue(field, code, message)) }
        func text(_ column: String, max: Int) -> String? {
            guard let value = fields[column] else { return nil }
            if value.utf8.count > max && value.count > max { issue(column, .tooLong, "at most \(max) characters") }
            return value
        }
        func date(_ column: String) -> String? {
            guard let value = fields[column] else { return nil }
            guard LocalDate(input: value) != nil else { issue(column, .format, "\(LocalDate.inputRule), not '\(value)'"); return nil }
            return value
        }

        let tag = fields["tag"].map(Self.upper) ?? ""
        if tag.isEmpty {
            issue("tag", .required, "every asset needs a tag")
        } else if tag.utf8.count > 40
            || !tag.utf8.allSatisfy({
                (0x30...0x39).contains($0) || (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) || $0 == 0x2D || $0 == 0x5F || $0 == 0x2E
            })
        {
            issue("tag", .format, "must be up to 40 letters, digits, dashes, dots or underscores")
        }
        let serial = text("serial", max: 80)
        let model = fields["model"].flatMap { lookups.models[$0] }
        if fields["model"] == nil {
            issue("model", .required, "name the model")
        } else if model == nil {
            issue("model", .notAllowed, "'\(fields["model"]!)' is not a model; add it first")
        }
        let status = AssetStatus(rawValue: fields["status"] ?? "in-stock")
        if status == nil { issue("status", .notAllowed, "must be one of \(AssetStatus.allCases.map(\.rawValue).joined(separator: ", "))") }
        // A site of another region is no site at all for this principal: the same words, and no
        // further check (its cost centers) that could tell it exists.
        let site = fields["site"].flatMap { lookups.sites[Self.upper($0)] }.flatMap { principal.canAccess($0.region) ? $0 : nil }
        if fields["site"] == nil {
            issue("site", .required, "name the site")
        } else if site == nil {
            issue("site", .notAllowed, "'\(fields["site"]!)' is not a site you may use")
        }
        var costCenterID: String?
        if let code = fields["cost_center"], let site {
            // The same words whether the code exists elsewhere or not at all: another site's cost
            // centers (maybe of another region) are not for this principal to learn of.
            if let center = lookups.costCenters[Self.upper(code)], center.siteID == site.id {
                costCenterID = center.id
            } else {
                issue("cost_center", .notAllowed, "'\(code)' is not a cost center of the site")
            }
        }
        let purchaseDate = date("purchase_date")
        if fields["purchase_date"] == nil { issue("purchase_date", .required, "when it was bought") }
        let currency = fields["currency"].map(Self.upper) ?? ""
        if !Money.isCurrencyCode(currency) { issue("currency", .format, "must be an ISO 4217 code such as BRL") }
        let cost = amount("cost", fields["cost"], currency: currency, required: true, issue: issue)
        let salvage = amount("salvage", fields["salvage"], currency: currency, required: false, issue: issue) ?? 0
        if let cost, salvage > cost { issue("salvage", .outOfRange, "cannot exceed the cost") }
        var lifeMonths = model?.lifeMonths ?? 36
        if let text = fields["life_months"] {
            if let months = Int(text), (1...600).contains(months) { lifeMonths = months } else { issue("life_months", .outOfRange, "must be 1 to 600 months") }
        }
        var depreciation = model?.depreciation ?? "straight-line"
        if let text = fields["depreciation"] {
            if let method = DepreciationMethod(text: text) {
                depreciation = method.text
            } else {
                issue("depreciation", .notAllowed, "must be straight-line or declining-balance:FACTOR (e.g. declining-balance:2)")
            }
        }
        let disposalMethod = fields["disposal_method"]
        if let method = disposalMethod, !AssetLifecycle.disposalMethods.contains(method) {
            issue("disposal_method", .notAllowed, "must be one of \(AssetLifecycle.disposalMethods.joined(separator: ", "))")
        }
        if status == .disposed && disposalMethod == nil { issue("disposal_method", .required, "a disposed asset says how it left") }
        let disposalValue = amount("disposal_value", fields["disposal_value"], currency: currency, required: false, issue: issue)
        let warrantyEnd = date("warranty_end"), lastAudit = date("last_audit"), nextAuditDue = date("next_audit_due"), retiredOn = date("retired_on")
        let assignedTo = text("assigned_to", max: 200), location = text("location", max: 200), supplier = text("supplier", max: 200)
        let purchaseOrder = text("purchase_order", max: 80), invoice = text("invoice", max: 80)
        guard issues.isEmpty, let model, let status, let site, let purchaseDate, let cost else { return .failure(VigilError.invalid(issues)) }
        return .success(
            AssetDraft(
                tag: tag, serial: serial, modelID: model.id, category: model.category, status: status, siteID: site.id, region: site.region,
                costCenterID: costCenterID, assignedTo: assignedTo, location: location, supplier: supplier, purchaseOrder: purchaseOrder,
                invoice: invoice, purchaseDate: purchaseDate, cost: cost, currency: currency, salvage: salvage, lifeMonths: lifeMonths,
                depreciation: depreciation, warrantyEnd: warrantyEnd, lastAudit: lastAudit, nextAuditDue: nextAuditDue,
                disposalMethod: disposalMethod, disposalValue: disposalValue, retiredOn: retiredOn))
    }

    /// Codes are upper case; most files already write them so, and then nothing is copied.
    static func upper(_ text: String) -> String {
        text.utf8.contains { (0x61...0x7A).contains($0) } ? text.uppercased() : text
    }

    /// `1234.56` in the currency's units → minor units; never through a floating point number.
    static func amount(_ field: String, _ text: String?, currency: String, required: Bool, issue: (String, FieldIssue.Code, String) -> Void) -> Int64? {
        guard let text else {
            if required { issue(field, .required, "give an amount like 1234.56") }
            return nil
        }
        guard let minor = MoneyText.minorUnits(text, currency: currency) else {
            issue(
                field, .format,
                "'\(text)' is not an amount like 1234.56 (no thousands separators, at most \(Money.minorDigits(currency)) decimals, not negative)")
            return nil
        }
        return minor
    }
}
