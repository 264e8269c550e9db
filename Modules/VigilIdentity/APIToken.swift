import Calendars
import Foundation
import Kernel
import SQLKit

/// An API token of a user: its secret is shown once at creation and stored only as a digest.
public struct APIToken: Sendable, Codable, Hashable {
    public let id: UUID
    public let userID: UUID
    public let name: String
    /// The first characters of the secret, to recognise a token in a list.
    public let prefix: String
    public let createdAt: Date
    public let expiresAt: Date?
    public let revokedAt: Date?
    public let lastUsedAt: Date?

    public var entity: EntityRef { EntityRef("vigil.token", id.lowercased) }

    public func isUsable(at now: Date) -> Bool {
        revokedAt == nil && (expiresAt.map { $0 > now } ?? true)
    }
}

extension APIToken: StoredRow {
    public init(_ row: RowReader) throws {
        id = try row["id"]
        userID = try row["user_id"]
        name = try row["name"]
        prefix = try row["prefix"]
        createdAt = try row["created_at"]
        expiresAt = try row["expires_at"]
        revokedAt = try row["revoked_at"]
        lastUsedAt = try row["last_used_at"]
    }
}

/// A token as created: the record and the secret, which is never shown again.
public struct IssuedToken: Sendable, Codable {
    public let token: APIToken
    public let secret: String
}

public struct TokenService: Sendable {
    public static let secretPrefix = "vgl_"

    let database: any VigilDatabase
    let clock: any WallClock
    let ids: any IDGenerator

    public init(database: any VigilDatabase, clock: any WallClock, ids: any IDGenerator) {
        self.database = database
        self.clock = clock
        self.ids = ids
    }

    /// Users may create tokens for themselves; creating one for someone else takes token.manage.
    public func create(for user: User, name: String, expiresAt: Date?, by invocation: Invocation) async throws -> IssuedToken {
        if invocation.principal.userID != user.id { try invocation.principal.require(PlatformPermissions.tokenManage) }
        var validator = Validator()
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        validator.check(!trimmed.isEmpty, "name", .required, "is required")
        validator.check(trimmed.count <= 100, "name", .tooLong, "must be at most 100 characters")
        if let expiresAt { validator.check(expiresAt > clock.now(), "expiresAt", .outOfRange, "must be in the future") }
        validator.check(user.active, "user", .invalid, "\(user.email) is deactivated")
        try validator.finish()
        let secret = Secrets.make(prefix: TokenService.secretPrefix)
        let id = ids.next()
        return try await database.transaction(domain: .platform, invocation: invocation, now: clock.now()) { tx in
            try await tx.sql.raw(
                """
                INSERT INTO vigil_tokens (id, user_id, name, secret_hash, prefix, created_at, expires_at, revoked_at, last_used_at)
                VALUES (\(bind: id.lowercased), \(bind: user.id.lowercased), \(bind: trimmed), \(bind: Secrets.digest(secret)),
                        \(bind: String(secret.prefix(10))), \(bind: tx.now.epochMicros), \(bind: expiresAt?.epochMicros), NULL, NULL)
                """
            ).run()
            guard let row = try await tx.sql.raw("SELECT \(unsafeRaw: APIToken.columns) FROM vigil_tokens WHERE id = \(bind: id.lowercased)").first() else {
                throw VigilError(.internal, "the new token could not be read back")
            }
            let token = try APIToken(row: row)
            try await tx.audit(
                AuditEntry(
                    action: "vigil.token.create", entity: token.entity, region: nil,
                    changes: [
                        FieldChange(field: "user", before: nil, after: .string(user.email)),
                        FieldChange(field: "name", before: nil, after: .string(trimmed)),
                        FieldChange(field: "expiresAt", before: nil, after: expiresAt.map { .string(ISO8601.format($0)) } ?? .null),
                    ]))
            return IssuedToken(token: token, secret: secret)
        }
    }

    public func list(userID: UUID?) async throws -> [APIToken] {
        if let userID {
            return try await database.sql.raw(
                "SELECT \(unsafeRaw: APIToken.columns) FROM vigil_tokens WHERE user_id = \(bind: userID.lowercased) ORDER BY created_at"
            )
            .all().map(APIToken.init(row:))
        }
        return try await database.sql.raw("SELECT \(unsafeRaw: APIToken.columns) FROM vigil_tokens ORDER BY created_at LIMIT 1000").all().map(
            APIToken.init(row:))
    }

    public func find(id: UUID) async throws -> APIToken? {
        try await database.sql.raw("SELECT \(unsafeRaw: APIToken.columns) FROM vigil_tokens WHERE id = \(bind: id.lowercased)").first().map(APIToken.init(row:))
    }

    public func revoke(id: UUID, by invocation: Invocation) async throws -> APIToken {
        guard let token = try await find(id: id) else { throw VigilError.notFound("token \(id.lowercased)") }
        if invocation.principal.userID != token.userID { try invocation.principal.require(PlatformPermissions.tokenManage) }
        guard token.revokedAt == nil else { return token }
        return try await database.transaction(domain: .platform, invocation: invocation, now: clock.now()) { tx in
            try await tx.sql.raw("UPDATE vigil_tokens SET revoked_at = \(bind: tx.now.epochMicros) WHERE id = \(bind: id.lowercased) AND revoked_at IS NULL")
                .run()
            try await tx.audit(
                AuditEntry(
                    action: "vigil.token.revoke", entity: token.entity, region: nil,
                    changes: [
                        FieldChange(field: "revokedAt", before: .null, after: .string(ISO8601.format(tx.now)))
                    ]))
            guard let row = try await tx.sql.raw("SELECT \(unsafeRaw: APIToken.columns) FROM vigil_tokens WHERE id = \(bind: id.lowercased)").first() else {
                throw VigilError.notFound("token \(id.lowercased)")
            }
            return try APIToken(row: row)
        }
    }
}
