import Foundation
import Kernel
import SQLKit

/// Password sign-in for the web console: a session secret in a cookie, valid for a shift and a
/// half by default.
public struct SessionService: Sendable {
    public static let secretPrefix = "vgs_"

    let database: any VigilDatabase
    let clock: any WallClock
    let ids: any IDGenerator
    let users: UserDirectory
    let hasher: PasswordHasher
    let lifetime: TimeInterval
    public let throttle: LoginThrottle

    public init(
        database: any VigilDatabase, clock: any WallClock, ids: any IDGenerator, users: UserDirectory, hasher: PasswordHasher,
        lifetime: TimeInterval = 12 * 3600,
        throttle: LoginThrottle.Policy = .init()
    ) {
        self.throttle = LoginThrottle(database: database, clock: clock, policy: throttle)
        self.database = database
        self.clock = clock
        self.ids = ids
        self.users = users
        self.hasher = hasher
        self.lifetime = lifetime
    }

    public struct Session: Sendable, Codable {
        public let id: UUID
        public let secret: String
        public let expiresAt: Date
        public let user: User
    }

    /// The same answer for an unknown email, a wrong password and a deactivated user, so that
    /// sign-in does not reveal which accounts exist.
    /// Refused with 429 while the account or the client address is locked out (`LoginThrottle`).
    public func login(email: String, password: String, requestID: String, clientAddress: String? = nil) async throws -> Session {
        let refusal = VigilError(.unauthorized, "the email or password is wrong, or the account is deactivated")
        try await throttle.check(email: email, address: clientAddress)
        guard let user = try await users.find(email: email), user.active, let hash = user.passwordHash else {
            // Spend the time a real check would, so timing does not tell either.
            _ = try? await hasher.verify(password, hash: "$2b$12$C6UzMDM.H6dfI/f/IKxGhu2Bf0Rq8dKpM3Ql6jqZ5WQhXh8b8x1Cq")
            try await throttle.recordFailure(email: email, address: clientAddress, requestID: requestID)
            throw refusal
        }
        guard try await hasher.verify(password, hash: hash) else {
            try await throttle.recordFailure(email: email, address: clientAddress, requestID: requestID)
            throw refusal
        }
        try await throttle.recordSuccess(email: email)
        let secret = Secrets.make(prefix: SessionService.secretPrefix)
        let id = ids.next()
        let principal = users.principal(for: user)
        let invocation = Invocation(principal: principal, channel: .http, requestID: requestID)
        let expiresAt = clock.now().addingTimeInterval(lifetime)
        try await database.transaction(domain: .platform, invocation: invocation, now: clock.now()) { tx in
            try await tx.sql.raw(
                """
                INSERT INTO vigil_sessions (id, user_id, secret_hash, created_at, expires_at, revoked_at)
                VALUES (\(bind: id.lowercased), \(bind: user.id.lowercased), \(bind: Secrets.digest(secret)), \(bind: tx.now.epochMicros), \(bind: expiresAt.epochMicros), NULL)
                """
            ).run()
            try await tx.audit(AuditEntry(action: "vigil.session.login", entity: user.entity, region: nil, changes: []))
        }
        return Session(id: id, secret: secret, expiresAt: expiresAt, user: user)
    }

    /// Records that a session is in use, so that its idle limit starts again; at most one write a
    /// minute a session. Bookkeeping, not a change anyone made: not audited.
    public func touch(secret: String) async throws {
        let now = clock.now()
        let micros = now.epochMicros
        let digest = Secrets.digest(secret)
        try await database.transaction(domain: .platform, invocation: Invocation(principal: .anonymous, channel: .console, requestID: "session"), now: now) {
            tx in
            try await tx.sql.raw(
                """
                UPDATE vigil_sessions SET last_seen_at = \(bind: micros)
                WHERE secret_hash = \(bind: digest) AND revoked_at IS NULL AND (last_seen_at IS NULL OR last_seen_at < \(bind: micros - 60_000_000))
                """
            ).run()
        }
    }

    /// Ends the session the caller signed in with; a token caller has no session to end.
    public func logout(by invocation: Invocation) async throws {
        guard let credential = invocation.principal.credential, credential.hasPrefix("session:") else { return }
        let sessionID = String(credential.dropFirst("session:".count))
        try await database.transaction(domain: .platform, invocation: invocation, now: clock.now()) { tx in
            try await tx.sql.raw("UPDATE vigil_sessions SET revoked_at = \(bind: tx.now.epochMicros) WHERE id = \(bind: sessionID) AND revoked_at IS NULL")
                .run()
            if let userID = invocation.principal.userID {
                try await tx.audit(AuditEntry(action: "vigil.session.logout", entity: EntityRef("vigil.user", userID.lowercased), region: nil, changes: []))
            }
        }
    }
}
