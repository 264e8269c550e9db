import Foundation
import Kernel
import SQLKit

/// Users: creation, changes and look-ups. Every change is audited under the platform's namespace.
public struct UserDirectory: Sendable {
    let database: any VigilDatabase
    let clock: any WallClock
    let ids: any IDGenerator
    let hasher: PasswordHasher
    let roles: RoleCatalog

    public init(database: any VigilDatabase, clock: any WallClock, ids: any IDGenerator, hasher: PasswordHasher, roles: RoleCatalog) {
        self.database = database
        self.clock = clock
        self.ids = ids
        self.hasher = hasher
        self.roles = roles
    }

    public struct NewUser: Sendable {
        public var email: String
        public var name: String
        public var password: String?
        public var roles: [Role]
        public var regions: RegionScope

        public init(email: String, name: String, password: String?, roles: [Role], regions: RegionScope) {
            self.email = email
            self.name = name
            self.password = password
            self.roles = roles
            self.regions = regions
        }
    }

    public func create(_ input: NewUser, by invocation: Invocation) async throws -> User {
        try invocation.principal.require(PlatformPermissions.userManage)
        let email = input.email.trimmingCharacters(in: .whitespaces).lowercased()
        var validator = Validator()
        let parts = email.split(separator: "@")
        validator.check(parts.count == 2 && parts[1].contains(".") && email.count <= 254, "email", .format, "must be an email address")
        validator.check(!input.name.trimmingCharacters(in: .whitespaces).isEmpty, "name", .required, "is required")
        validator.check(input.name.count <= 200, "name", .tooLong, "must be at most 200 characters")
        validator.check(!input.roles.isEmpty, "roles", .required, "give at least one role")
        for role in input.roles where !roles.isKnown(role) {
            validator.add("roles", .notAllowed, "'\(role)' is not a role of this build; roles are \(roles.roleNames)")
        }
        if let password = input.password {
            do { try PasswordHasher.validate(password) } catch {
                validator.add("password", error.fields.first?.code ?? .invalid, error.fields.first?.message ?? error.detail)
            }
        }
        // An admin and an auditor work on every region by what the roles are; given no regions,
        // that is what they get (a list of regions for them narrows it, as asked).
        var scope = input.regions
        if case .only(let regions) = scope, regions.isEmpty {
            if input.roles.contains(.admin) || input.roles.contains(.auditor) {
                scope = .all
            } else {
                validator.add("regions", .required, "give at least one region, or all regions")
            }
        }
        try validator.finish()
        try await requireKnownRegions(scope)
        let passwordHash: String? = if let password = input.password { try await hasher.hash(password) } else { nil }
        let id = ids.next()
        let roleText = Array(Set(input.roles)).sorted().map(\.rawValue).joined(separator: ",")
        let regionText = User.storedRegions(scope)
        let name = input.name.trimmingCharacters(in: .whitespaces)
        return try await database.transaction(domain: .platform, invocation: invocation, now: clock.now()) { tx in
            let existing = try await tx.sql.raw("SELECT id FROM vigil_users WHERE email = \(bind: email)").first()
            if existing != nil { throw VigilError(.conflict, "a user with the email \(email) exists already") }
            let now = tx.now.epochMicros
            try await tx.sql.raw(
                """
                INSERT INTO vigil_users (id, email, name, password_hash, roles, regions, active, created_at, updated_at, version)
                VALUES (\(bind: id.lowercased), \(bind: email), \(bind: name), \(bind: passwordHash), \(bind: roleText), \(bind: regionText), \(bind: true), \(bind: now), \(bind: now), 1)
                """
            ).run()
            guard let row = try await tx.sql.raw("SELECT \(unsafeRaw: User.columns) FROM vigil_users WHERE id = \(bind: id.lowercased)").first() else {
                throw VigilError(.internal, "the new user could not be read back")
            }
            let user = try User(row: row)
            var changes = user.auditSnapshot.sorted { $0.key < $1.key }.map { FieldChange(field: $0.key, before: nil, after: $0.value) }
            if passwordHash != nil { changes.append(FieldChange(field: "password", before: nil, after: .string("set"))) }
            try await tx.audit(AuditEntry(action: "vigil.user.create", entity: user.entity, region: nil, changes: changes))
            return user
        }
    }

    private func requireKnownRegions(_ scope: RegionScope) async throws {
        guard case .only(let regions) = scope else { return }
        let known = Set(try await database.sql.raw("SELECT code FROM vigil_regions").all().map { try $0.decode(column: "code", as: String.self) })
        let unknown = regions.filter { !known.contains($0.rawValue) }.sorted()
        if !unknown.isEmpty {
            throw VigilError.invalid(
                "regions", .notAllowed,
                "unknown region \(unknown.map(\.rawValue).joined(separator: ", ")); known regions are \(known.sorted().joined(separator: ", "))")
        }
    }

    public func find(email: String) async throws -> User? {
        try await database.sql.raw("SELECT \(unsafeRaw: User.columns) FROM vigil_users WHERE email = \(bind: email.lowercased())").first().map(User.init(row:))
    }

    public func find(id: UUID) async throws -> User? {
        try await database.sql.raw("SELECT \(unsafeRaw: User.columns) FROM vigil_users WHERE id = \(bind: id.lowercased)").first().map(User.init(row:))
    }

    public func list(limit: Int = 500) async throws -> [User] {
        try await database.sql.raw("SELECT \(unsafeRaw: User.columns) FROM vigil_users ORDER BY email LIMIT \(bind: limit)").all().map(User.init(row:))
    }

    /// Whether any active admin exists; the first start creates one when none does.
    public func hasActiveAdmin() async throws -> Bool {
        let rows = try await database.sql.raw("SELECT roles FROM vigil_users WHERE active = \(bind: true)").all()
        return try rows.contains { User.parseRoles(try $0.decode(column: "roles", as: String.self)).contains(.admin) }
    }

    public func setPassword(email: String, password: String, by invocation: Invocation) async throws {
        let target = try await find(email: email)
        // Users may change their own password; changing someone else's takes user.manage.
        if target == nil || target?.id != invocation.principal.userID {
            try invocation.principal.require(PlatformPermissions.userManage)
        }
        try PasswordHasher.validate(password)
        guard let user = target else { throw VigilError.notFound("user \(email)") }
        let hash = try await hasher.hash(password)
        try await database.transaction(domain: .platform, invocation: invocation, now: clock.now()) { tx in
            _ = try await tx.updateVersioned(
                table: "vigil_users", id: user.id.lowercased, expectedVersion: user.version, entity: "user \(email)",
                assignments: [("password_hash", hash), ("updated_at", tx.now.epochMicros)])
            try await tx.audit(
                AuditEntry(
                    action: "vigil.user.password", entity: user.entity, region: nil,
                    changes: [FieldChange(field: "password", before: .string("set"), after: .string("changed"))]))
        }
    }

    /// Deactivates a user: their sessions and tokens stop working at once.
    public func setActive(email: String, active: Bool, by invocation: Invocation) async throws -> User {
        try invocation.principal.require(PlatformPermissions.userManage)
        guard let user = try await find(email: email) else { throw VigilError.notFound("user \(email)") }
        return try await database.transaction(domain: .platform, invocation: invocation, now: clock.now()) { tx in
            _ = try await tx.updateVersioned(
                table: "vigil_users", id: user.id.lowercased, expectedVersion: user.version, entity: "user \(email)",
                assignments: [("active", active), ("updated_at", tx.now.epochMicros)])
            try await tx.audit(
                AuditEntry(
                    action: active ? "vigil.user.activate" : "vigil.user.deactivate", entity: user.entity, region: nil,
                    changes: [FieldChange(field: "active", before: .bool(user.active), after: .bool(active))]))
            guard let row = try await tx.sql.raw("SELECT \(unsafeRaw: User.columns) FROM vigil_users WHERE id = \(bind: user.id.lowercased)").first() else {
                throw VigilError.notFound("user \(email)")
            }
            return try User(row: row)
        }
    }

    /// Changes what a user may do and where: their roles and regions, as one audited change. The
    /// version read with the form guards against overwriting another admin's change; the last
    /// active admin cannot lose the admin role (nobody could then manage users).
    public func setAccess(email: String, roles newRoles: [Role], regions: RegionScope, expectedVersion: Int?, by invocation: Invocation) async throws -> User {
        try invocation.principal.require(PlatformPermissions.userManage)
        guard let user = try await find(email: email) else { throw VigilError.notFound("user \(email)") }
        var validator = Validator()
        validator.check(!newRoles.isEmpty, "roles", .required, "give at least one role")
        for role in newRoles where !roles.isKnown(role) {
            validator.add("roles", .notAllowed, "'\(role)' is not a role of this build; roles are \(roles.roleNames)")
        }
        if case .only(let chosen) = regions, chosen.isEmpty { validator.add("regions", .required, "give at least one region, or all regions") }
        try validator.finish()
        try await requireKnownRegions(regions)
        let roleText = Array(Set(newRoles)).sorted().map(\.rawValue).joined(separator: ",")
        let regionText = User.storedRegions(regions)
        return try await database.transaction(domain: .platform, invocation: invocation, now: clock.now()) { tx in
            if user.roles.contains(.admin) && !newRoles.contains(.admin) && user.active {
                let admins = try await tx.sql.raw("SELECT roles FROM vigil_users WHERE active = \(bind: true) AND id <> \(bind: user.id.lowercased)").all()
                    .filter { User.parseRoles(try $0.decode(column: "roles", as: String.self)).contains(.admin) }
                if admins.isEmpty { throw VigilError(.conflict, "\(email) is the last active admin; make another admin first") }
            }
            _ = try await tx.updateVersioned(
                table: "vigil_users", id: user.id.lowercased, expectedVersion: expectedVersion ?? user.version, entity: "user \(email)",
                assignments: [("roles", roleText), ("regions", regionText), ("updated_at", tx.now.epochMicros)])
            guard let row = try await tx.sql.raw("SELECT \(unsafeRaw: User.columns) FROM vigil_users WHERE id = \(bind: user.id.lowercased)").first() else {
                throw VigilError.notFound("user \(email)")
            }
            let updated = try User(row: row)
            let changes = ["roles", "regions"].compactMap { field -> FieldChange? in
                let before = user.auditSnapshot[field]
                let after = updated.auditSnapshot[field]
                return before == after ? nil : FieldChange(field: field, before: before, after: after)
            }
            try await tx.audit(AuditEntry(action: "vigil.user.access", entity: user.entity, region: nil, changes: changes))
            return updated
        }
    }

    /// The principal a user acts as in this build.
    public func principal(for user: User, kind: Principal.Kind = .user) -> Principal {
        Principal(
            kind: kind, userID: user.id, displayName: user.name, actor: "user:\(user.email)",
            roles: Set(user.roles), permissions: roles.permissions(of: user.roles), regions: user.regions)
    }
}
