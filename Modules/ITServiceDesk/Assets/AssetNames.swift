import Foundation
import Kernel
import SQLKit
import SQLParts

/// The names an asset row refers to by id (site, model, cost center), read from small tables and
/// kept ten seconds, so that the asset list reads its page without three joins per row.
struct AssetNames: Sendable {
    struct SiteName: Sendable { let code: String; let region: String; let timeZone: String }

    let sites: [String: SiteName]
    let models: [String: String]
    let costCenters: [String: String]

    static let cache = LookupCache<AssetNames>(ttl: 10)

    static func load(on sql: any SQLDatabase) async throws -> AssetNames {
        var sites: [String: SiteName] = [:]
        for row in try await sql.raw("SELECT id, code, region, time_zone FROM it_sites").all() {
            sites[try row.decode(column: "id", as: String.self)] = SiteName(
                code: try row.decode(column: "code", as: String.self), region: try row.decode(column: "region", as: String.self),
                timeZone: try row.decode(column: "time_zone", as: String.self))
        }
        var models: [String: String] = [:]
        for row in try await sql.raw("SELECT id, name FROM it_asset_models").all() {
            models[try row.decode(column: "id", as: String.self)] = try row.decode(column: "name", as: String.self)
        }
        var centers: [String: String] = [:]
        for row in try await sql.raw("SELECT id, code FROM it_cost_centers").all() {
            centers[try row.decode(column: "id", as: String.self)] = try row.decode(column: "code", as: String.self)
        }
        return AssetNames(sites: sites, models: models, costCenters: centers)
    }

    /// The cached names; read afresh when a row names something the cache has not seen (a site
    /// or model added by another process within the last seconds).
    static func current(_ context: DomainContext, covering rows: [any SQLRow] = []) async throws -> AssetNames {
        let cached = try await cache.value("names", database: context.database, now: context.clock.now()) { try await load(on: context.database.sql) }
        for row in rows {
            guard cached.sites[try row.decode(column: "site_id", as: String.self)] != nil,
                cached.models[try row.decode(column: "model_id", as: String.self)] != nil,
                try row.optional("cost_center_id", as: String.self).map({ cached.costCenters[$0] != nil }) ?? true
            else {
                cache.invalidateAll()
                return try await load(on: context.database.sql)
            }
        }
        return cached
    }
}
