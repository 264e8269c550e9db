import Foundation
import Kernel
import SQLKit

/// The claims of Idempotency-Keys and the answers stored with them (`vigil_request_keys`).
public enum IdempotencyStore {
    /// A key as stored: what it was used for and, once the first request answered, its answer.
    public struct Held: Sendable {
        public let route: String
        public let fingerprint: String
        public let createdAt: Int64
        public let response: StoredResponse?

        public func matches(_ key: IdempotencyKey) -> Bool { route == key.route && fingerprint == key.fingerprint }
    }

    public static let mismatch = VigilError(
        .idempotencyMismatch, "this Idempotency-Key was already used for a different request; use a new key for a new request")

    public static func find(_ key: IdempotencyKey, on sql: any SQLDatabase) async throws -> Held? {
        guard
            let row = try await sql.raw(
                """
                SELECT route, fingerprint, created_at, status, body, content_type, location, etag FROM vigil_request_keys
                WHERE principal = \(bind: key.principal) AND key = \(bind: key.key)
                """
            ).first()
        else { return nil }
        var response: StoredResponse?
        if let status = try row.optional("status", as: Int.self) {
            response = StoredResponse(
                status: status, body: Data(try row.decode(column: "body", as: String.self).utf8),
                contentType: try row.decode(column: "content_type", as: String.self),
                location: try row.optional("location", as: String.self), etag: try row.optional("etag", as: String.self))
        }
        return Held(
            route: try row.decode(column: "route", as: String.self), fingerprint: try row.decode(column: "fingerprint", as: String.self),
            createdAt: try row.decode(column: "created_at", as: Int64.self), response: response)
    }

    /// Stores the first request's answer with its claim, for retries to replay.
    public static func complete(_ key: IdempotencyKey, with response: StoredResponse, database: any VigilDatabase, invocation: Invocation, now: Date)
        async throws
    {
        try await database.transaction(domain: .platform, invocation: invocation, now: now) { tx in
            try await tx.sql.raw(
                """
                UPDATE vigil_request_keys SET status = \(bind: response.status), body = \(bind: String(decoding: response.body, as: UTF8.self)),
                    content_type = \(bind: response.contentType), location = \(bind: response.location), etag = \(bind: response.etag)
                WHERE principal = \(bind: key.principal) AND key = \(bind: key.key)
                """
            ).run()
        }
    }
}
