import CSVCoding
import Foundation
import Kernel
import Monetary
import SQLKit

/// Assets as CSV with the import's columns, a page at a time in tag order: the HTTP layer pulls
/// chunks as the client reads, the CLI writes them to a file, and neither holds the whole list.
public final class AssetCSVExport: ByteChunkSource {
    private let sql: any SQLDatabase
    private let siteIDs: [String]?
    private let status: AssetStatus?
    private var lastTag: String?
    private var headerSent = false
    private var done = false
    static let pageSize = 5_000

    init(sql: any SQLDatabase, siteIDs: [String]?, status: AssetStatus?) {
        self.sql = sql
        self.siteIDs = siteIDs
        self.status = status
    }

    /// An export of what the principal may see, optionally of one site and one status.
    public static func make(context: DomainContext, site: String?, status: AssetStatus?, by principal: Principal) async throws -> AssetCSVExport {
        try principal.require(ITServiceDeskPermissions.assetRead)
        let siteIDs = try await SiteStore.visibleIDs(site: site, principal: principal, context: context)
        return AssetCSVExport(sql: context.database.sql, siteIDs: siteIDs, status: status)
    }

    public func next() async throws -> [UInt8]? {
        if !headerSent {
            headerSent = true
            return Array(CSV.line(AssetColumns.all).utf8)
        }
        guard !done else { return nil }
        if let siteIDs, siteIDs.isEmpty { return nil }
        var query: SQLQueryString = """
            SELECT a.tag, a.serial, m.name AS model, a.status, s.code AS site, c.code AS cost_center, a.assigned_to, a.location, a.supplier, a.purchase_order,
                a.invoice, a.purchase_date, a.cost, a.currency, a.salvage, a.life_months, a.depreciation, a.warranty_end, a.last_audit, a.next_audit_due,
                a.disposal_method, a.disposal_value, a.retired_on
            FROM it_assets a JOIN it_asset_models m ON m.id = a.model_id JOIN it_sites s ON s.id = a.site_id LEFT JOIN it_cost_centers c ON c.id = a.cost_center_id
            WHERE 1 = 1
            """
        if let lastTag { query += " AND a.tag > \(bind: lastTag)" }
        if let siteIDs { query += " AND a.site_id IN (\(binds: siteIDs))" }
        if let status { query += " AND a.status = \(bind: status.rawValue)" }
        query += " ORDER BY a.tag LIMIT \(unsafeRaw: String(Self.pageSize))"
        let rows = try await sql.raw(query).all()
        if rows.count < Self.pageSize { done = true }
        guard !rows.isEmpty else { return nil }
        var text = ""
        text.reserveCapacity(rows.count * 160)
        for row in rows {
            let currency = try row.decode(column: "currency", as: String.self)
            func optional(_ column: String) throws -> String { try row.optional(column, as: String.self) ?? "" }
            let fields: [String] = [
                try row.decode(column: "tag", as: String.self), try optional("serial"), try row.decode(column: "model", as: String.self),
                try row.decode(column: "status", as: String.self), try row.decode(column: "site", as: String.self), try optional("cost_center"),
                try optional("assigned_to"), try optional("location"), try optional("supplier"), try optional("purchase_order"), try optional("invoice"),
                try row.decode(column: "purchase_date", as: String.self), MoneyText.text(try row.decode(column: "cost", as: Int64.self), currency: currency),
                currency,
                MoneyText.text(try row.decode(column: "salvage", as: Int64.self), currency: currency),
                String(try row.decode(column: "life_months", as: Int.self)),
                try row.decode(column: "depreciation", as: String.self), try optional("warranty_end"), try optional("last_audit"),
                try optional("next_audit_due"),
                try optional("disposal_method"), try row.optional("disposal_value", as: Int64.self).map { MoneyText.text($0, currency: currency) } ?? "",
                try optional("retired_on"),
            ]
            text += CSV.line(fields)
        }
        lastTag = try rows.last!.decode(column: "tag", as: String.self)
        return Array(text.utf8)
    }
}
