import Foundation
import JSONCoding
import Kernel
import SQLKit

/// Reads the outbox and keeps each subscriber's delivery position.
public struct OutboxStore: Sendable {
    let database: any ManagedDatabase

    public init(database: any ManagedDatabase) { self.database = database }

    public struct SubscriberState: Sendable, Codable, Hashable {
        public let name: String
        public let position: Int64
        public let attempts: Int
        public let nextAttemptAt: Int64
        public let lastError: String?
    }

    static let eventColumns = "seq, id, type, version, domain, subject_type, subject_id, region, occurred_at, request_id, actor, payload"

    /// Events after `position` of the given types, oldest first.
    public func events(after position: Int64, types: Set<String>, limit: Int) async throws -> [DomainEvent] {
        guard !types.isEmpty else { return [] }
        let typeList = SQLGroupExpression(types.sorted().map { SQLBind($0) as any SQLExpression })
        return try await database.sql.raw(
            """
            SELECT \(unsafeRaw: OutboxStore.eventColumns) FROM vigil_outbox
            WHERE type IN \(typeList) AND seq > \(bind: position) ORDER BY seq LIMIT \(bind: limit)
            """
        ).all().map(OutboxStore.event(from:))
    }

    /// Every event after `position`, oldest first (the console's live feed, which wants all).
    public func events(after position: Int64, limit: Int) async throws -> [DomainEvent] {
        try await database.sql.raw(
            "SELECT \(unsafeRaw: OutboxStore.eventColumns) FROM vigil_outbox WHERE seq > \(bind: position) ORDER BY seq LIMIT \(bind: limit)"
        ).all().map(OutboxStore.event(from:))
    }

    public func latestSequence() async throws -> Int64 {
        try await database.sql.raw("SELECT COALESCE(MAX(seq), 0) AS head FROM vigil_outbox").first()?.decode(column: "head", as: Int64.self) ?? 0
    }

    static func event(from row: any SQLRow) throws -> DomainEvent {
        let subjectType = try row.decode(column: "subject_type", as: String?.self)
        let subjectID = try row.decode(column: "subject_id", as: String?.self)
        return DomainEvent(
            sequence: try row.decode(column: "seq", as: Int64.self),
            id: try row.decode(column: "id", as: String.self),
            type: try row.decode(column: "type", as: String.self),
            version: try row.decode(column: "version", as: Int.self),
            domain: try DomainID(stored: try row.decode(column: "domain", as: String.self))
                .orInternal("the domain of an outbox event"),
            subject: subjectType.flatMap { type in subjectID.map { EntityRef(type, $0) } },
            region: try row.decode(column: "region", as: String?.self).flatMap(RegionCode.init),
            occurredAt: Date(epochMicros: try row.decode(column: "occurred_at", as: Int64.self)),
            requestID: try row.decode(column: "request_id", as: String.self),
            actor: try row.decode(column: "actor", as: String.self),
            payload: try JSONValue.parse(Data(try row.decode(column: "payload", as: String.self).utf8))
        )
    }

    /// A subscriber's state, created at position 0 the first time it is seen, so that it gets
    /// every event the outbox still holds.
    public func state(of subscriber: String, now: Date) async throws -> SubscriberState {
        try await database.rawTransaction { sql in
            try await sql.raw(
                """
                INSERT INTO vigil_subscribers (name, position, attempts, next_attempt_at, last_error, updated_at)
                VALUES (\(bind: subscriber), 0, 0, 0, NULL, \(bind: now.epochMicros))
                ON CONFLICT (name) DO NOTHING
                """
            ).run()
            guard
                let row = try await sql.raw(
                    "SELECT name, position, attempts, next_attempt_at, last_error FROM vigil_subscribers WHERE name = \(bind: subscriber)"
                ).first()
            else {
                throw VigilError(.internal, "subscriber \(subscriber) vanished")
            }
            return SubscriberState(
                name: try row.decode(column: "name", as: String.self),
                position: try row.decode(column: "position", as: Int64.self),
                attempts: try row.decode(column: "attempts", as: Int.self),
                nextAttemptAt: try row.decode(column: "next_attempt_at", as: Int64.self),
                lastError: try row.decode(column: "last_error", as: String?.self)
            )
        }
    }

    public func subscribers() async throws -> [SubscriberState] {
        try await database.sql.raw("SELECT name, position, attempts, next_attempt_at, last_error FROM vigil_subscribers ORDER BY name").all().map { row in
            SubscriberState(
                name: try row.decode(column: "name", as: String.self),
                position: try row.decode(column: "position", as: Int64.self),
                attempts: try row.decode(column: "attempts", as: Int.self),
                nextAttemptAt: try row.decode(column: "next_attempt_at", as: Int64.self),
                lastError: try row.decode(column: "last_error", as: String?.self)
            )
        }
    }

    /// Records progress and, where a delivery failed, the retry schedule or the dead letter.
    public func save(subscriber: String, position: Int64, failure: DeliveryFailure?, now: Date) async throws {
        try await database.rawTransaction { sql in
            switch failure {
            case nil:
                try await sql.raw(
                    """
                    UPDATE vigil_subscribers SET position = \(bind: position), attempts = 0, next_attempt_at = 0, last_error = NULL, updated_at = \(bind: now.epochMicros)
                    WHERE name = \(bind: subscriber)
                    """
                ).run()
            case .retry(let attempts, let nextAttempt, let error):
                try await sql.raw(
                    """
                    UPDATE vigil_subscribers SET position = \(bind: position), attempts = \(bind: attempts), next_attempt_at = \(bind: nextAttempt.epochMicros),
                        last_error = \(bind: error), updated_at = \(bind: now.epochMicros)
                    WHERE name = \(bind: subscriber)
                    """
                ).run()
            case .deadLetter(let event, let attempts, let error):
                try await sql.raw(
                    """
                    INSERT INTO vigil_dead_letters (id, subscriber, event_seq, event_id, attempts, error, at)
                    VALUES (\(bind: UUID().lowercased), \(bind: subscriber), \(bind: event.sequence), \(bind: event.id),
                            \(bind: attempts), \(bind: error), \(bind: now.epochMicros))
                    """
                ).run()
                try await sql.raw(
                    """
                    UPDATE vigil_subscribers SET position = \(bind: event.sequence), attempts = 0, next_attempt_at = 0, last_error = \(bind: error), updated_at = \(bind: now.epochMicros)
                    WHERE name = \(bind: subscriber)
                    """
                ).run()
            }
        }
    }

    public enum DeliveryFailure: Sendable {
        case retry(attempts: Int, nextAttempt: Date, error: String)
        case deadLetter(DomainEvent, attempts: Int, error: String)
    }

    public func deadLetters(limit: Int = 100) async throws -> [(subscriber: String, eventSequence: Int64, error: String)] {
        try await database.sql.raw("SELECT subscriber, event_seq, error FROM vigil_dead_letters ORDER BY at DESC LIMIT \(bind: limit)").all().map { row in
            (
                try row.decode(column: "subscriber", as: String.self), try row.decode(column: "event_seq", as: Int64.self),
                try row.decode(column: "error", as: String.self)
            )
        }
    }
}
