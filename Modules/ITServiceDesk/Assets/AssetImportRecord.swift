import Foundation
import JSONCoding
import Kernel
import SQLKit

/// An import as it was recorded: who sent which file, when it started and finished, its counts and
/// the first problems. Only its author and people who see every region read it. An import without `finishedAt` is still running, or stopped with its server.
public struct AssetImportRecord: Codable, Sendable {
    public let id: String
    public let fileName: String
    public let actor: String
    public let startedAt: Date
    public let finishedAt: Date?
    public let rows: Int
    public let created: Int
    public let updated: Int
    public let unchanged: Int
    public let rejected: Int
    public let errors: [AssetImportError]
}

extension AssetImporter {
    public func record(_ id: String, by principal: Principal) async throws -> AssetImportRecord {
        try principal.require(ITServiceDeskPermissions.assetManage)
        guard
            let row = try await context.database.sql.raw(
                """
                SELECT id, file_name, actor, started_at, finished_at, row_count, created, updated, unchanged, rejected, errors
                FROM it_asset_imports WHERE id = \(bind: id.lowercased())
                """
            ).first()
        else { throw VigilError.notFound("import \(id)") }
        // A file may hold any site's rows: its record is its author's, and theirs who see every region.
        let author = try row.decode(column: "actor", as: String.self)
        guard principal.regions.filter == nil || author == principal.actor else {
            throw VigilError.notFound("import \(id)")
        }
        let errors = try VigilJSON.decoder.decode([AssetImportError].self, from: Data(try row.decode(column: "errors", as: String.self).utf8))
        return AssetImportRecord(
            id: try row.decode(column: "id", as: String.self), fileName: try row.decode(column: "file_name", as: String.self),
            actor: try row.decode(column: "actor", as: String.self),
            startedAt: Date(epochMicros: try row.decode(column: "started_at", as: Int64.self)),
            finishedAt: try row.decode(column: "finished_at", as: Int64?.self).map(Date.init(epochMicros:)),
            rows: try row.decode(column: "row_count", as: Int.self), created: try row.decode(column: "created", as: Int.self),
            updated: try row.decode(column: "updated", as: Int.self), unchanged: try row.decode(column: "unchanged", as: Int.self),
            rejected: try row.decode(column: "rejected", as: Int.self), errors: errors)
    }
}
