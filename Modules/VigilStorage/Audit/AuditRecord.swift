import Crypto
import Foundation
import JSONCoding
import Kernel
import SQLKit

/// One row of the audit log, as stored.
public struct AuditRecord: Sendable, Codable, Hashable {
    public let sequence: Int64
    public let id: String
    public let at: Int64
    public let domain: String
    public let actor: String
    public let actorKind: String
    public let channel: String
    public let action: String
    public let entityType: String
    public let entityID: String
    public let region: String?
    public let changes: String
    public let requestID: String
    public let reason: String?
    public let previousHash: String?
    public let hash: String

    /// SHA-256 over the previous hash and every field but the sequence number (which the
    /// database assigns), each length-prefixed so that no two records can encode alike.
    public var computedHash: String {
        let fields: [String?] = [
            previousHash, id, String(at), domain, actor, actorKind, channel, action, entityType, entityID, region, changes, requestID, reason,
        ]
        var hasher = SHA256()
        for field in fields {
            let bytes = Array((field ?? "\u{0}null").utf8)
            hasher.update(data: Array("\(bytes.count):".utf8))
            hasher.update(data: bytes)
        }
        return Hex.encode(hasher.finalize())
    }

    init(
        sequence: Int64, id: String, at: Int64, domain: String, actor: String, actorKind: String, channel: String, action: String, entityType: String,
        entityID: String, region: String?, changes: String, requestID: String, reason: String?, previousHash: String?, hash: String
    ) {
        self.sequence = sequence
        self.id = id
        self.at = at
        self.domain = domain
        self.actor = actor
        self.actorKind = actorKind
        self.channel = channel
        self.action = action
        self.entityType = entityType
        self.entityID = entityID
        self.region = region
        self.changes = changes
        self.requestID = requestID
        self.reason = reason
        self.previousHash = previousHash
        self.hash = hash
    }

    init(row: any SQLRow) throws {
        self.init(
            sequence: try row.decode(column: "seq", as: Int64.self),
            id: try row.decode(column: "id", as: String.self),
            at: try row.decode(column: "at", as: Int64.self),
            domain: try row.decode(column: "domain", as: String.self),
            actor: try row.decode(column: "actor", as: String.self),
            actorKind: try row.decode(column: "actor_kind", as: String.self),
            channel: try row.decode(column: "channel", as: String.self),
            action: try row.decode(column: "action", as: String.self),
            entityType: try row.decode(column: "entity_type", as: String.self),
            entityID: try row.decode(column: "entity_id", as: String.self),
            region: try row.decode(column: "region", as: String?.self),
            changes: try row.decode(column: "changes", as: String.self),
            requestID: try row.decode(column: "request_id", as: String.self),
            reason: try row.decode(column: "reason", as: String?.self),
            previousHash: try row.decode(column: "prev_hash", as: String?.self),
            hash: try row.decode(column: "hash", as: String.self)
        )
    }

    public var date: Date { Date(epochMicros: at) }

    public var fieldChanges: [FieldChange] {
        guard case .array(let items)? = try? JSONValue.parse(Data(changes.utf8)) else { return [] }
        return items.compactMap { item in
            guard case .object(let members) = item, case .string(let field)? = members["field"] else { return nil }
            return FieldChange(field: field, before: members["before"], after: members["after"])
        }
    }
}
