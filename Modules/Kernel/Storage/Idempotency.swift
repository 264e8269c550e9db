import Foundation

/// An Idempotency-Key as a client sent it, bound to who sent it and to what: the same key from
/// another user is another key, and the same key with another body is refused.
public struct IdempotencyKey: Sendable, Hashable {
    public let key: String
    public let principal: String
    /// `POST /api/incident-ops/cases`
    public let route: String
    /// A digest of the request body, to refuse a reused key with a different request.
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

/// The first response to an idempotent request, replayed for its retries.
public struct StoredResponse: Sendable, Codable, Hashable {
    public let status: Int
    public let body: Data
    public let location: String?

    public init(status: Int, body: Data, location: String?) {
        self.status = status
        self.body = body
        self.location = location
    }
}
