import Foundation
import Synchronization

/// An Idempotency-Key as a client sent it, bound to who sent it and to what: the same key from
/// another user is another key, and the same key with another request is refused.
public struct IdempotencyKey: Sendable, Hashable {
    public let key: String
    public let principal: String
    /// `POST /api/incident-ops/cases`, the route template.
    public let route: String
    /// A digest of the concrete path and the body, to refuse a reused key with a different request.
    public let fingerprint: String

    public init(key: String, principal: String, route: String, fingerprint: String) {
        self.key = key
        self.principal = principal
        self.route = route
        self.fingerprint = fingerprint
    }

    /// Keys are opaque to us but bounded: 1 to 200 visible ASCII characters.
    public static func validate(_ key: String) throws(VigilError) {
        guard (1...200).contains(key.utf8.count), key.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else {
            throw VigilError(.badRequest, "Idempotency-Key must be 1 to 200 visible ASCII characters")
        }
    }
}

/// The first answer to an idempotent request, replayed for its retries.
public struct StoredResponse: Sendable, Codable, Hashable {
    public let status: Int
    public let body: Data
    public let contentType: String
    public let location: String?
    public let etag: String?

    public init(status: Int, body: Data, contentType: String, location: String?, etag: String?) {
        self.status = status
        self.body = body
        self.contentType = contentType
        self.location = location
        self.etag = etag
    }
}

/// A request's claim on its Idempotency-Key, set by the host around the handler of every endpoint
/// that declares `idempotent`, so that no handler has to remember to honour the header.
///
/// The first transaction the request commits (through `DomainContext.transaction`) writes the
/// claim in the same commit as its rows: a retry then finds the key taken and never writes again,
/// whatever the handler did, and a concurrent twin fails on the key (`IdempotencyRace`) instead of
/// writing a second record. After the handler answers, the host stores that answer with the claim
/// for retries to replay.
public final class IdempotencyClaim: Sendable {
    public let key: IdempotencyKey
    private let committed = Mutex(false)

    @TaskLocal public static var current: IdempotencyClaim?

    public init(key: IdempotencyKey) { self.key = key }

    /// True once a transaction holding the claim has committed.
    public var isCommitted: Bool { committed.withLock { $0 } }

    func markCommitted() { committed.withLock { $0 = true } }
}

/// Thrown by the storage layer when another request holds the same idempotency key.
public struct IdempotencyRace: Error {
    public init() {}
}
