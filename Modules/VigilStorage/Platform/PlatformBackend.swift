import Crypto
import Foundation
import Kernel
import SQLKit

/// Writes the platform records a `Transaction` carries: audit entries, outbox events, reference
/// numbers and idempotency records, all on the transaction's own connection.
struct PlatformBackend: TransactionBackend {
    func appendAudit(_ entry: AuditEntry, in tx: Transaction) async throws {
        let previous =
            entry.isCreation
            ? nil
            : try await tx.sql.raw(
                """
                SELECT hash FROM vigil_audit WHERE entity_type = \(bind: entry.entity.type) AND entity_id = \(bind: entry.entity.id)
                ORDER BY seq DESC LIMIT 1
                """
            ).first()?.decode(column: "hash", as: String.self)
        let record = AuditRecord(
            sequence: 0, id: UUID().lowercased, at: tx.now.epochMicros, domain: tx.domain.rawValue,
            actor: tx.invocation.principal.actor, actorKind: tx.invocation.principal.kind.rawValue,
            channel: tx.invocation.channel.rawValue, action: entry.action, entityType: entry.entity.type,
            entityID: entry.entity.id, region: entry.region?.rawValue,
            changes: FieldChange.jsonText(entry.changes),
            requestID: tx.invocation.requestID, reason: tx.invocation.reason, previousHash: previous, hash: ""
        )
        let hash = record.computedHash
        try await tx.sql.raw(
            """
            INSERT INTO vigil_audit (id, at, domain, actor, actor_kind, channel, action, entity_type, entity_id, region, changes, request_id, reason, prev_hash, hash)
            VALUES (\(bind: record.id), \(bind: record.at), \(bind: record.domain), \(bind: record.actor), \(bind: record.actorKind),
                    \(bind: record.channel), \(bind: record.action), \(bind: record.entityType), \(bind: record.entityID), \(bind: record.region),
                    \(bind: record.changes), \(bind: record.requestID), \(bind: record.reason), \(bind: record.previousHash), \(bind: hash))
            """
        ).run()
    }

    func appendEvent(_ event: DomainEvent, in tx: Transaction) async throws {
        if tx.family == .postgres {
            // Outbox positions must become visible in order, or a reader could pass over an event
            // whose transaction commits late. This lock orders event-writing transactions on
            // PostgreSQL; on SQLite writers are serial already.
            try await tx.sql.raw("SELECT pg_advisory_xact_lock(7351001) AS locked").run()
        }
        try await tx.sql.raw(
            """
            INSERT INTO vigil_outbox (id, type, version, domain, subject_type, subject_id, region, occurred_at, request_id, actor, payload)
            VALUES (\(bind: event.id), \(bind: event.type), \(bind: event.version), \(bind: event.domain.rawValue),
                    \(bind: event.subject?.type), \(bind: event.subject?.id), \(bind: event.region?.rawValue),
                    \(bind: event.occurredAt.epochMicros), \(bind: event.requestID), \(bind: event.actor),
                    \(bind: event.payload.jsonText))
            """
        ).run()
    }

    func nextSequence(_ series: String, in tx: Transaction) async throws -> Int64 {
        let row = try await tx.sql.raw(
            """
            INSERT INTO vigil_sequences (series, value) VALUES (\(bind: series), 1)
            ON CONFLICT (series) DO UPDATE SET value = vigil_sequences.value + 1
            RETURNING value
            """
        ).first()
        guard let row else { throw VigilError(.internal, "reference counter \(series) did not return a value") }
        return try row.decode(column: "value", as: Int64.self)
    }

    func claimIdempotency(_ key: IdempotencyKey, in tx: Transaction) async throws {
        let inserted = try await tx.sql.raw(
            """
            INSERT INTO vigil_request_keys (principal, key, route, fingerprint, created_at)
            VALUES (\(bind: key.principal), \(bind: key.key), \(bind: key.route), \(bind: key.fingerprint), \(bind: tx.now.epochMicros))
            ON CONFLICT (principal, key) DO NOTHING
            RETURNING key
            """
        ).first()
        guard inserted == nil else { return }
        // Taken: by this same request (a retry, or a twin in flight), or by another one.
        if let held = try await IdempotencyStore.find(key, on: tx.sql), !held.matches(key) {
            throw IdempotencyStore.mismatch
        }
        throw IdempotencyRace()
    }
}
