import Foundation
import Kernel
import SQLKit
import Synchronization

/// Turns a bearer secret (API token or session) into a principal. Answers are cached for a few
/// seconds so that a busy client does not cost two queries per request; a revocation or
/// deactivation therefore takes effect within `cacheSeconds` (at once in this process).
public final class Authenticator: Sendable {
    let database: any VigilDatabase
    let users: UserDirectory
    let clock: any WallClock
    let cacheSeconds: TimeInterval
    /// A session unused this long is over (`SessionService.touch` records use).
    let sessionIdle: TimeInterval

    private struct Entry { let principal: Principal; let validUntil: Date; let expiresAt: Date? }
    private let cache = Mutex<[String: Entry]>([:])

    public init(database: any VigilDatabase, users: UserDirectory, clock: any WallClock, cacheSeconds: TimeInterval = 5, sessionIdle: TimeInterval = 3600) {
        self.sessionIdle = sessionIdle
        self.database = database
        self.users = users
        self.clock = clock
        self.cacheSeconds = cacheSeconds
    }

    /// nil when the secret is unknown, revoked, expired or its user is deactivated.
    public func principal(forSecret secret: String) async throws -> Principal? {
        guard secret.hasPrefix(TokenService.secretPrefix) || secret.hasPrefix(SessionService.secretPrefix), secret.count < 200 else { return nil }
        let digest = Secrets.digest(secret)
        let now = clock.now()
        if let entry = cache.withLock({ $0[digest] }), entry.validUntil > now, entry.expiresAt.map({ $0 > now }) ?? true {
            return entry.principal
        }
        let resolved = secret.hasPrefix(TokenService.secretPrefix) ? try await resolveToken(digest, now: now) : try await resolveSession(digest, now: now)
        cache.withLock { cache in
            if cache.count > 10_000 { cache.removeAll() }
            if let resolved {
                cache[digest] = Entry(principal: resolved.principal, validUntil: now.addingTimeInterval(cacheSeconds), expiresAt: resolved.expiresAt)
            } else {
                cache[digest] = nil
            }
        }
        return resolved?.principal
    }

    /// Forgets cached answers (after a revocation in this process).
    public func invalidate() { cache.withLock { $0.removeAll() } }

    private func resolveToken(_ digest: String, now: Date) async throws -> (principal: Principal, expiresAt: Date?)? {
        guard
            let row = try await database.sql.raw(
                """
                SELECT t.id AS token_id, t.expires_at, t.revoked_at, t.last_used_at, u.id, u.email, u.name, u.password_hash, u.roles, u.regions, u.active, u.created_at, u.updated_at, u.version
                FROM vigil_tokens t JOIN vigil_users u ON u.id = t.user_id WHERE t.secret_hash = \(bind: digest)
                """
            ).first()
        else { return nil }
        let user = try User(row: row)
        let expiresAt = try row.decode(column: "expires_at", as: Int64?.self).map(Date.init(epochMicros:))
        guard user.active, try row.decode(column: "revoked_at", as: Int64?.self) == nil, expiresAt.map({ $0 > now }) ?? true else { return nil }
        let lastUsed = try row.decode(column: "last_used_at", as: Int64?.self) ?? 0
        if now.epochMicros - lastUsed > 60_000_000 {
            // Bookkeeping, not a change anyone made: not audited, and at most once a minute.
            let tokenID = try row.decode(column: "token_id", as: String.self)
            try await database.transaction(
                domain: .platform, invocation: Invocation(principal: users.principal(for: user, kind: .token), channel: .http, requestID: "auth"), now: now
            ) { tx in
                try await tx.sql.raw("UPDATE vigil_tokens SET last_used_at = \(bind: now.epochMicros) WHERE id = \(bind: tokenID)").run()
            }
        }
        let principal = users.principal(for: user, kind: .token).with(credential: "token:\(try row.decode(column: "token_id", as: String.self))")
        return (principal, expiresAt)
    }

    private func resolveSession(_ digest: String, now: Date) async throws -> (principal: Principal, expiresAt: Date?)? {
        guard
            let row = try await database.sql.raw(
                """
                SELECT s.id AS session_id, s.expires_at, s.revoked_at, s.created_at AS session_created_at, s.last_seen_at, u.id, u.email, u.name, u.password_hash, u.roles, u.regions, u.active, u.created_at, u.updated_at, u.version
                FROM vigil_sessions s JOIN vigil_users u ON u.id = s.user_id WHERE s.secret_hash = \(bind: digest)
                """
            ).first()
        else { return nil }
        let user = try User(row: row)
        let absoluteEnd = Date(epochMicros: try row.decode(column: "expires_at", as: Int64.self))
        let lastSeen = try row.decode(column: "last_seen_at", as: Int64?.self) ?? row.decode(column: "session_created_at", as: Int64.self)
        let idleEnd = Date(epochMicros: lastSeen).addingTimeInterval(sessionIdle)
        let expiresAt = min(absoluteEnd, idleEnd)
        guard user.active, try row.decode(column: "revoked_at", as: Int64?.self) == nil, expiresAt > now else { return nil }
        return (users.principal(for: user).with(credential: "session:\(try row.decode(column: "session_id", as: String.self))"), expiresAt)
    }
}
