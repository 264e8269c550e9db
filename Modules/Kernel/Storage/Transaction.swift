import Foundation
import JSONCoding
import SQLKit
import Synchronization

/// One unit of change. Everything written through it (the domain's rows, the audit records, the
/// outbox events, the idempotency record, reference numbers) commits together or not at all.
public final class Transaction: Sendable {
    public let sql: any SQLDatabase
    public let domain: DomainID
    public let invocation: Invocation
    /// One instant for the whole change, so that every row it writes agrees on when it happened.
    public let now: Date
    public let family: SQLDialectFamily
    private let backend: any TransactionBackend
    private let published = Mutex(0)

    public init(sql: any SQLDatabase, domain: DomainID, invocation: Invocation, now: Date, family: SQLDialectFamily, backend: any TransactionBackend) {
        self.sql = sql
        self.domain = domain
        self.invocation = invocation
        self.now = now
        self.family = family
        self.backend = backend
    }

    public var principal: Principal { invocation.principal }

    /// Appends an audit record (actor, request id and reason come from the invocation).
    public func audit(_ entry: AuditEntry) async throws {
        try await backend.appendAudit(entry, in: self)
    }

    /// Writes a domain event to the outbox; it is delivered only if this transaction commits.
    public func publish<Payload: DomainEventPayload>(_ payload: Payload, subject: EntityRef? = nil, region: RegionCode? = nil) async throws {
        // The registry checks the declared events; this catches one published without declaring it
        // under another domain's name, before any subscriber could take it for that domain's.
        guard Payload.eventType.hasPrefix(domain.rawValue + ".") else {
            throw VigilError(.internal, "domain '\(domain)' may not publish '\(Payload.eventType)', outside its namespace")
        }
        let event = DomainEvent(
            sequence: 0, id: UUID().lowercased, type: Payload.eventType, version: Payload.eventVersion, domain: domain,
            subject: subject, region: region, occurredAt: now, requestID: invocation.requestID,
            actor: invocation.principal.actor, payload: try JSONValue.encoding(payload)
        )
        try await backend.appendEvent(event, in: self)
        published.withLock { $0 += 1 }
    }

    /// How many events this transaction wrote; the host wakes the outbox dispatcher when above zero.
    public var publishedEventCount: Int { published.withLock { $0 } }

    /// The next human reference of a series, numbered per year in UTC: `INC-2026-000123`.
    public func nextReference(_ prefix: String) async throws -> String {
        let year = Calendar.utc.component(.year, from: now)
        let number = try await backend.nextSequence("\(prefix)-\(year)", in: self)
        let digits = String(number)
        return "\(prefix)-\(year)-\(String(repeating: "0", count: max(0, 6 - digits.count)))\(digits)"
    }

    /// Takes `key` for this transaction's request: throws `IdempotencyRace` when another request
    /// holds it already, and the mismatch error when that one was a different request.
    public func claimIdempotency(_ key: IdempotencyKey) async throws {
        try await backend.claimIdempotency(key, in: self)
    }
}

/// What the storage layer implements so that `Transaction` can write platform records.
public protocol TransactionBackend: Sendable {
    func appendAudit(_ entry: AuditEntry, in tx: Transaction) async throws
    func appendEvent(_ event: DomainEvent, in tx: Transaction) async throws
    func nextSequence(_ series: String, in tx: Transaction) async throws -> Int64
    func claimIdempotency(_ key: IdempotencyKey, in tx: Transaction) async throws
}

extension Calendar {
    public static let utc: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()
}
