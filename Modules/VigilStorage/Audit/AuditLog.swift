import Foundation
import Kernel
import SQLKit

/// Reading and checking the audit log.
public struct AuditLog: Sendable {
    let database: any VigilDatabase

    public init(database: any VigilDatabase) { self.database = database }

    static let columns = "seq, id, at, domain, actor, actor_kind, channel, action, entity_type, entity_id, region, changes, request_id, reason, prev_hash, hash"

    /// The timeline of one entity, oldest first.
    public func timeline(of entity: EntityRef, limit: Int = 1_000) async throws -> [AuditRecord] {
        try await database.sql.raw(
            """
            SELECT \(unsafeRaw: AuditLog.columns) FROM vigil_audit
            WHERE entity_type = \(bind: entity.type) AND entity_id = \(bind: entity.id)
            ORDER BY seq LIMIT \(bind: limit)
            """
        ).all().map(AuditRecord.init(row:))
    }

    /// The most recent records, newest first, for `vigil audit show` without an entity.
    public func recent(limit: Int) async throws -> [AuditRecord] {
        try await database.sql.raw("SELECT \(unsafeRaw: AuditLog.columns) FROM vigil_audit ORDER BY seq DESC LIMIT \(bind: limit)")
            .all().map(AuditRecord.init(row:))
    }

    public struct Verification: Sendable, Codable {
        public let recordsChecked: Int
        public let entitiesChecked: Int
        /// The first record, in log order, whose hash or link does not hold.
        public let firstBroken: BrokenLink?
        public var intact: Bool { firstBroken == nil }
    }

    public struct BrokenLink: Sendable, Codable {
        public let sequence: Int64
        public let id: String
        public let entity: String
        public let problem: String
    }

    /// Walks the whole log in order, in batches, recomputing every hash and checking that each
    /// record links to the previous record of its entity. Memory grows with the number of
    /// entities (one hash each), not with the number of records.
    public func verify(batchSize: Int = 5_000) async throws -> Verification {
        var lastHashByEntity: [String: String] = [:]
        var checked = 0
        var after: Int64 = 0
        while true {
            let records = try await database.sql.raw(
                """
                SELECT \(unsafeRaw: AuditLog.columns) FROM vigil_audit WHERE seq > \(bind: after) ORDER BY seq LIMIT \(bind: batchSize)
                """
            ).all().map(AuditRecord.init(row:))
            if records.isEmpty { break }
            for record in records {
                checked += 1
                let entity = "\(record.entityType)/\(record.entityID)"
                let expectedPrevious = lastHashByEntity[entity]
                if record.previousHash != expectedPrevious {
                    let problem =
                        expectedPrevious == nil
                        ? "links to a previous record, but it is the first record of its entity (an earlier record was removed?)"
                        : "does not link to the previous record of its entity (a record was removed or reordered)"
                    return Verification(
                        recordsChecked: checked, entitiesChecked: lastHashByEntity.count,
                        firstBroken: BrokenLink(sequence: record.sequence, id: record.id, entity: entity, problem: problem))
                }
                if record.computedHash != record.hash {
                    return Verification(
                        recordsChecked: checked, entitiesChecked: lastHashByEntity.count,
                        firstBroken: BrokenLink(
                            sequence: record.sequence, id: record.id, entity: entity, problem: "its content does not match its hash (the record was edited)"))
                }
                lastHashByEntity[entity] = record.hash
            }
            after = records.last!.sequence
        }
        return Verification(recordsChecked: checked, entitiesChecked: lastHashByEntity.count, firstBroken: nil)
    }
}
