import Foundation
import Kernel
import Monetary

enum AssetSchemas {
    static let asset: Schema = .named(
        "Asset",
        .object([
            .required("id", .uuid), .required("tag", .string(.init())), .optional("serial", .string(.init())), .required("model", .string(.init())),
            .required("category", .string(.init())), .required("status", .enumeration(AssetStatus.allCases.map(\.rawValue))),
            .required("site", .string(.init())),
            .required("region", .string(.init())), .required("timeZone", .string(.init())), .optional("costCenter", .string(.init())),
            .optional("assignedTo", .string(.init())), .optional("location", .string(.init())), .optional("supplier", .string(.init())),
            .optional("purchaseOrder", .string(.init())), .optional("invoice", .string(.init())), .required("purchaseDate", .date),
            .required("cost", .integer(), "Minor units of the currency"), .required("currency", .string(.init())), .required("salvage", .integer()),
            .required("lifeMonths", .integer()), .required("depreciation", .string(.init())), .optional("warrantyEnd", .date), .optional("checkInDue", .date),
            .optional("lastAudit", .date), .optional("nextAuditDue", .date), .optional("disposalMethod", .string(.init())),
            .optional("disposalValue", .integer()),
            .optional("retiredOn", .date), .optional("importId", .string(.init())), .required("createdAt", .dateTime), .required("updatedAt", .dateTime),
            .required("version", .integer()),
        ]))
    static let page: Schema = .named("AssetPage", .object([.required("items", .array(asset)), .optional("nextCursor", .string(.init()))]))

    static let input: Schema = .named(
        "AssetInput",
        .object([
            .required("tag", .string(maxLength: 40)), .optional("serial", .string(maxLength: 80)), .required("model", .string(maxLength: 120)),
            .optional("status", .enumeration(AssetStatus.allCases.map(\.rawValue))), .required("site", .string(maxLength: 20)),
            .optional("costCenter", .string(maxLength: 20)),
            .optional("assignedTo", .string(maxLength: 200)), .optional("location", .string(maxLength: 200)), .optional("supplier", .string(maxLength: 200)),
            .optional("purchaseOrder", .string(maxLength: 80)), .optional("invoice", .string(maxLength: 80)), .required("purchaseDate", .date),
            .required("cost", .money(), "Minor units (centavos)"), .required("currency", .string(maxLength: 3)), .optional("salvage", .money()),
            .optional("lifeMonths", .integer(minimum: 1, maximum: 600)),
            .optional("depreciation", .string(maxLength: 40), "straight-line or declining-balance:FACTOR"),
            .optional("warrantyEnd", .date), .optional("nextAuditDue", .date),
        ]))

    static let model: Schema = .named(
        "AssetModel",
        .object([
            .required("id", .uuid), .required("name", .string(.init())), .required("manufacturer", .string(.init())), .required("category", .string(.init())),
            .required("expectedLifeMonths", .integer()), .required("unitCost", .integer()), .required("currency", .string(.init())),
            .required("depreciation", .string(.init())), .required("version", .integer()),
        ]))
    static let modelInput: Schema = .named(
        "AssetModelInput",
        .object([
            .required("name", .string(maxLength: 120)), .required("manufacturer", .string(maxLength: 120)),
            .required("category", .enumeration(AssetCategory.all)),
            .required("expectedLifeMonths", .integer(minimum: 1, maximum: 600)), .required("unitCost", .money()), .required("currency", .string(maxLength: 3)),
            .optional("depreciation", .string(maxLength: 40)),
        ]))

    static let disposal: Schema = .object([.required("method", .enumeration(AssetLifecycle.disposalMethods)), .required("value", .money())])
    static let transition: Schema = .named(
        "AssetTransition",
        .object([
            .required("status", .enumeration(AssetStatus.allCases.map(\.rawValue))), .optional("disposal", disposal, "Required to dispose"),
            .optional("note", .string(maxLength: 2_000)),
        ]))
    static let checkOut: Schema = .named(
        "AssetCheckOut", .object([.required("to", .string(maxLength: 200), "A person (email) or a place"), .optional("expectedBack", .date)]))
    static let checkIn: Schema = .named("AssetCheckIn", .object([.optional("note", .string(maxLength: 2_000))]))
    static let audit: Schema = .named("AssetAudit", .object([.optional("date", .date), .optional("note", .string(maxLength: 2_000))]))
    static let bulk: Schema = .named(
        "AssetBulk",
        .object([
            .required("tags", .array(.string(maxLength: 40), maxItems: 1_000)), .required("action", .enumeration(["transition", "move", "audit"])),
            .optional("status", .enumeration(AssetStatus.allCases.map(\.rawValue))), .optional("site", .string(maxLength: 20)), .optional("disposal", disposal),
            .optional("note", .string(maxLength: 2_000)),
        ]))
    static let event: Schema = .named(
        "AssetEvent",
        .object([
            .required("id", .uuid), .required("at", .dateTime), .required("actor", .string(.init())),
            .required("kind", .enumeration(AssetEventKind.allCases.map(\.rawValue))), .optional("text", .string(.init())),
            .optional("fromStatus", .string(.init())),
            .optional("toStatus", .string(.init())), .required("details", .freeObject),
        ]))
    static let period: Schema = .object([
        .required("fiscalYear", .integer()), .required("from", .date), .required("to", .date), .required("opening", .integer()),
        .required("depreciation", .integer()), .required("closing", .integer()),
    ])
    static let schedule: Schema = .named(
        "AssetSchedule",
        .object([
            .required("tag", .string(.init())), .required("currency", .string(.init())), .required("method", .string(.init())),
            .optional("bookValueToday", .integer()), .required("periods", .array(period)),
        ]))
    static let importReport: Schema = .named(
        "AssetImportReport",
        .object([
            .required("id", .uuid), .required("fileName", .string(.init())), .required("rows", .integer()), .required("created", .integer()),
            .required("updated", .integer()), .required("unchanged", .integer()), .required("rejected", .integer()),
            .required(
                "errors",
                .array(
                    .object([
                        .required("line", .integer()), .required("tag", .string(.init())), .required("field", .string(.init())),
                        .required("message", .string(.init())),
                    ]))),
            .required("errorsTruncated", .boolean), .required("seconds", .number),
        ]))
    static let bookValues: Schema = .named(
        "BookValueReport",
        .object([
            .required("asOf", .date), .required("assets", .integer()), .required("seconds", .number),
            .required(
                "lines",
                .array(
                    .object([
                        .required("site", .string(.init())), .required("costCenter", .string(.init())), .required("currency", .string(.init())),
                        .required("assets", .integer()), .required("cost", .integer()), .required("accumulated", .integer()),
                        .required("bookValue", .integer()),
                    ]))),
        ]))
    static let depreciationLines: Schema = .array(
        .named(
            "DepreciationLine",
            .object([
                .required("site", .string(.init())), .required("costCenter", .string(.init())), .required("currency", .string(.init())),
                .required("fiscalYear", .integer()),
                .required("from", .date), .required("to", .date), .required("assets", .integer()), .required("opening", .integer()),
                .required("depreciation", .integer()),
                .required("disposals", .integer()), .required("closing", .integer()),
            ])))
}

/// The JSON form of a new asset; money in minor units, as everywhere in the API.
struct AssetInput: Decodable {
    let tag: String
    let serial: String?
    let model: String
    let status: String?
    let site: String
    let costCenter: String?
    let assignedTo: String?
    let location: String?
    let supplier: String?
    let purchaseOrder: String?
    let invoice: String?
    let purchaseDate: String
    let cost: Int64
    let currency: String
    let salvage: Int64?
    let lifeMonths: Int?
    let depreciation: String?
    let warrantyEnd: String?
    let nextAuditDue: String?

    /// The same fields a CSV row has, so that one set of checks serves both.
    var fields: AssetFields {
        var values: [String: String] = [
            "tag": tag, "model": model, "site": site, "purchase_date": purchaseDate, "currency": currency,
            "cost": MoneyText.text(cost, currency: currency.uppercased()),
        ]
        values["serial"] = serial
        values["status"] = status
        values["cost_center"] = costCenter
        values["assigned_to"] = assignedTo
        values["location"] = location
        values["supplier"] = supplier
        values["purchase_order"] = purchaseOrder
        values["invoice"] = invoice
        values["salvage"] = salvage.map { MoneyText.text($0, currency: currency.uppercased()) }
        values["life_months"] = lifeMonths.map(String.init)
        values["depreciation"] = depreciation
        values["warranty_end"] = warrantyEnd
        values["next_audit_due"] = nextAuditDue
        return AssetFields(values)
    }
}
