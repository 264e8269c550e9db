import Calendars
import Foundation
import Kernel
import SQLKit

/// Limits password guessing: per account (whatever the email, existing or not, so that a lockout
/// does not reveal which accounts exist) and per client address. Counts live in the database, so
/// every replica and a restart see the same ones. Each refused sign-in and each lockout is audited.
public struct LoginThrottle: Sendable {
    public struct Policy: Sendable {
        /// Failures within `window` that lock an account for `lockout`.
        public var accountFailures = 5
        /// Failures from one address within `window` that block it for `lockout` (a shared office
        /// address makes this one looser).
        public var addressFailures = 30
        public var window: TimeInterval = 15 * 60
        public var lockout: TimeInterval = 15 * 60

        public init() {}
    }

    let database: any VigilDatabase
    let clock: any WallClock
    let policy: Policy

    public init(database: any VigilDatabase, clock: any WallClock, policy: Policy = Policy()) {
        self.database = database
        self.clock = clock
        self.policy = policy
    }

    static func subjects(email: String, address: String?) -> [String] {
        ["account:" + email.lowercased().prefix(254)] + (address.map { ["address:" + $0.prefix(64)] } ?? [])
    }

    /// Refuses with 429 while the account or the address is locked.
    public func check(email: String, address: String?) async throws {
        let now = clock.now().epochMicros
        for subject in Self.subjects(email: email, address: address) {
            guard let row = try await database.sql.raw("SELECT locked_until FROM vigil_login_throttle WHERE subject = \(bind: subject)").first(),
                let until = try row.optional("locked_until", as: Int64.self), until > now
            else { continue }
            let seconds = Int((Double(until - now) / 1_000_000).rounded(.up))
            var error = VigilError(.tooManyRequests, "too many failed sign-ins; try again in \(max(1, seconds / 60)) minute(s)")
            error.retryAfterSeconds = seconds
            throw error
        }
    }

    /// Counts a failure against the account and the address; audits it, and the lockout it causes.
    public func recordFailure(email: String, address: String?, requestID: String) async throws {
        let invocation = Invocation(principal: .anonymous, channel: .http, requestID: requestID)
        try await database.transaction(domain: .platform, invocation: invocation, now: clock.now()) { tx in
            let now = tx.now.epochMicros
            let windowStart = now - Int64(policy.window * 1_000_000)
            for subject in Self.subjects(email: email, address: address) {
                let limit = subject.hasPrefix("account:") ? policy.accountFailures : policy.addressFailures
                let row = try await tx.sql.raw(
                    """
                    INSERT INTO vigil_login_throttle (subject, failures, window_start, locked_until) VALUES (\(bind: subject), 1, \(bind: now), NULL)
                    ON CONFLICT (subject) DO UPDATE SET
                        failures = CASE WHEN vigil_login_throttle.window_start < \(bind: windowStart) THEN 1 ELSE vigil_login_throttle.failures + 1 END,
                        window_start = CASE WHEN vigil_login_throttle.window_start < \(bind: windowStart) THEN \(bind: now) ELSE vigil_login_throttle.window_start END
                    RETURNING failures
                    """
                ).first()
                let failures = try row?.decode(column: "failures", as: Int.self) ?? 1
                let entity = EntityRef("vigil.sign-in", subject)
                var changes = [FieldChange(field: "failures", before: nil, after: .integer(Int64(failures)))]
                var action = "vigil.session.login-failed"
                if failures >= limit {
                    let until = now + Int64(policy.lockout * 1_000_000)
                    try await tx.sql.raw(
                        "UPDATE vigil_login_throttle SET locked_until = \(bind: until), failures = 0, window_start = \(bind: now) WHERE subject = \(bind: subject)"
                    ).run()
                    action = "vigil.session.locked"
                    changes.append(FieldChange(field: "lockedUntil", before: nil, after: .string(ISO8601.format(Date(epochMicros: until)))))
                }
                try await tx.audit(AuditEntry(action: action, entity: entity, region: nil, changes: changes))
            }
        }
    }

    /// A successful sign-in clears the account's count (not the address's).
    public func recordSuccess(email: String) async throws {
        let invocation = Invocation(principal: .anonymous, channel: .http, requestID: "sign-in")
        try await database.transaction(domain: .platform, invocation: invocation, now: clock.now()) { tx in
            try await tx.sql.raw("DELETE FROM vigil_login_throttle WHERE subject = \(bind: Self.subjects(email: email, address: nil)[0])").run()
        }
    }
}
