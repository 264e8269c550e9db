import Foundation
import JSONCoding
import Kernel
import VigilIdentity
import VigilServer

/// The admin's pages of people: who may sign in, with which roles, in which regions; adding,
/// changing access (guarded by the version read), deactivating; and each person's API tokens.
/// They call the same UserDirectory and TokenService as the CLI, so the checks (permission,
/// validation, the last admin, audit) are the same.
struct UserPages: Sendable {
    let runtime: VigilRuntime

    var all: [ConsolePage] {
        [
            .get("/users", permission: PlatformPermissions.userRead, navigation: ConsoleNavigation("nav-users", order: 800)) { request in
                try await list(request, values: FormValues(), issues: [])
            },
            .post("/users/new", permission: PlatformPermissions.userManage, handler: create),
            .get("/users/{id}", permission: nil) { request in try await show(request, issued: nil, issues: []) },
            .post("/users/{id}/access", permission: PlatformPermissions.userManage, handler: setAccess),
            .post("/users/{id}/active", permission: PlatformPermissions.userManage, handler: setActive),
            .post("/users/{id}/tokens", permission: nil, handler: createToken),
            .post("/users/{id}/tokens/{token}/revoke", permission: nil, handler: revokeToken),
        ]
    }

    func list(_ request: ConsoleRequest, values: FormValues, issues: [FieldIssue]) async throws -> ConsoleResponse {
        let users = try await runtime.users.list()
        var data = try await accessChoices(request, roles: values.all("roles").map { Role($0) }, regions: UserPages.scope(values))
        data["users"] = .array(
            users.map { user in
                .object([
                    "email": .string(user.email), "name": .string(user.name), "active": .bool(user.active),
                    "roles": .string(user.roles.map(\.rawValue).joined(separator: ", ")),
                    "regions": .string(user.regions.filter.map { $0.map(\.rawValue).joined(separator: ", ") } ?? request.text("all-regions")),
                    "href": .string("/console/users/\(user.id.lowercased)"),
                ])
            })
        data["canManage"] = .bool(request.principal.has(PlatformPermissions.userManage))
        data["email"] = .string(values.single("email") ?? "")
        data["name"] = .string(values.single("name") ?? "")
        if !issues.isEmpty { data["issues"] = ConsoleRequest.issues(issues) }
        return .page(ConsoleView("users", title: "users-title", data: data, status: issues.isEmpty ? 200 : 422))
    }

    func create(_ request: ConsoleRequest) async throws -> ConsoleResponse {
        let form = request.form
        let password = form.single("password").flatMap { $0.isEmpty ? nil : $0 }
        do {
            let user = try await runtime.users.create(
                .init(
                    email: form.single("email") ?? "", name: form.single("name") ?? "", password: password,
                    roles: form.all("roles").map { Role($0) }, regions: UserPages.scope(form)), by: request.invocation)
            return .redirect("/console/users/\(user.id.lowercased)", .success("user-created-message", ["email": user.email]))
        } catch let error as VigilError where !error.fields.isEmpty {
            var kept = form
            kept.set("password", "")
            return try await list(request, values: kept, issues: error.fields)
        } catch let error as VigilError where error.kind == .conflict {
            return .redirect("/console/users", .error("action-refused", ["message": error.detail]))
        }
    }

    func show(_ request: ConsoleRequest, issued: IssuedToken?, issues: [FieldIssue]) async throws -> ConsoleResponse {
        let user = try await target(request)
        let mayManage = request.principal.has(PlatformPermissions.userManage)
        let own = request.principal.userID == user.id
        let zone = try await request.homeZone()
        var data = try await accessChoices(request, roles: user.roles, regions: user.regions)
        data["user"] = .object([
            "id": .string(user.id.lowercased), "email": .string(user.email), "name": .string(user.name), "active": .bool(user.active),
            "version": .integer(Int64(user.version)), "createdLocal": .string(request.locale.dateTime(user.createdAt, zone: zone)),
            "regions": .string(user.regions.filter.map { $0.map(\.rawValue).joined(separator: ", ") } ?? request.text("all-regions")),
        ])
        data["canManage"] = .bool(mayManage)
        data["canTokens"] = .bool(mayManage && request.principal.has(PlatformPermissions.tokenManage) || own)
        let now = request.context.clock.now()
        data["tokens"] = .array(
            try await runtime.tokens.list(userID: user.id).map { token in
                .object([
                    "id": .string(token.id.lowercased), "name": .string(token.name), "usable": .bool(token.isUsable(at: now)),
                    "createdLocal": .string(request.locale.dateTime(token.createdAt, zone: zone)),
                    "expiresLocal": token.expiresAt.map { .string(request.locale.dateTime($0, zone: zone)) } ?? .string("—"),
                    "lastUsedLocal": token.lastUsedAt.map { .string(request.locale.dateTime($0, zone: zone)) } ?? .string("—"),
                ])
            })
        if let issued {
            data["issued"] = .object(["name": .string(issued.token.name), "secret": .string(issued.secret)])
        }
        if !issues.isEmpty { data["issues"] = ConsoleRequest.issues(issues) }
        return .page(ConsoleView("user", title: "user-title", data: data, status: issues.isEmpty ? 200 : 422, titleDetail: user.email))
    }

    func setAccess(_ request: ConsoleRequest) async throws -> ConsoleResponse {
        let user = try await target(request)
        let back = "/console/users/\(user.id.lowercased)"
        do {
            _ = try await runtime.users.setAccess(
                email: user.email, roles: request.form.all("roles").map { Role($0) }, regions: UserPages.scope(request.form),
                expectedVersion: request.form.single("_version").flatMap { Int($0) }, by: request.invocation)
            return .redirect(back, .success("user-access-saved"))
        } catch let error as VigilError where !error.fields.isEmpty {
            return try await show(request, issued: nil, issues: error.fields)
        } catch let error as VigilError {
            let runtime = self.runtime
            let principal = request.principal
            return .redirect(
                back,
                try await request.refusal(error) {
                    // Who changed the user since the form was read: the last entry of its audit timeline.
                    guard let last = try await runtime.auditReader.timeline(of: user.entity, for: principal).last else { return nil }
                    return (ConsoleRequest.person(last.actor), last.at)
                })
        }
    }

    func setActive(_ request: ConsoleRequest) async throws -> ConsoleResponse {
        let user = try await target(request)
        let active = request.form.single("active") == "true"
        do {
            _ = try await runtime.users.setActive(email: user.email, active: active, by: request.invocation)
            return .redirect("/console/users/\(user.id.lowercased)", .success(active ? "user-activated" : "user-deactivated"))
        } catch let error as VigilError where error.kind == .conflict || error.kind == .preconditionFailed {
            return .redirect("/console/users/\(user.id.lowercased)", .error("action-refused", ["message": error.detail]))
        }
    }

    /// A new token's secret is shown on this answer only: it is stored hashed, never again readable.
    func createToken(_ request: ConsoleRequest) async throws -> ConsoleResponse {
        let user = try await target(request)
        let name = (request.form.single("name") ?? "").trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, name.count <= 100 else {
            return try await show(request, issued: nil, issues: [FieldIssue("name", .required, request.text("token-name-required"))])
        }
        var expires: Date?
        if let days = request.form.single("expiresInDays"), !days.isEmpty {
            guard let count = Int(days), (1...730).contains(count) else {
                return try await show(request, issued: nil, issues: [FieldIssue("expiresInDays", .outOfRange, request.text("token-days-range"))])
            }
            expires = request.context.clock.now().addingTimeInterval(Double(count) * 86_400)
        }
        let issued = try await runtime.tokens.create(for: user, name: name, expiresAt: expires, by: request.invocation)
        return try await show(request, issued: issued, issues: [])
    }

    func revokeToken(_ request: ConsoleRequest) async throws -> ConsoleResponse {
        let user = try await target(request)
        guard let id = UUID(uuidString: request.path("token")), let token = try await runtime.tokens.find(id: id), token.userID == user.id else {
            throw VigilError.notFound("token")
        }
        _ = try await runtime.tokens.revoke(id: id, by: request.invocation)
        runtime.authenticator.invalidate()
        return .redirect("/console/users/\(user.id.lowercased)", .success("token-revoked", ["name": token.name]))
    }

    /// The user the path names; someone without user.read sees only themselves.
    private func target(_ request: ConsoleRequest) async throws -> User {
        guard let id = UUID(uuidString: request.path("id")), let user = try await runtime.users.find(id: id) else { throw VigilError.notFound("user") }
        if user.id != request.principal.userID { try request.principal.require(PlatformPermissions.userRead) }
        return user
    }

    private func accessChoices(_ request: ConsoleRequest, roles: [Role], regions: RegionScope) async throws -> [String: JSONValue] {
        let chosen = Set(roles)
        let catalog = runtime.registry.roleCatalog.roles
        let everyRegion = regions == .all
        return [
            "roleOptions": .array(
                catalog.map { entry in
                    .object([
                        "value": .string(entry.descriptor.role.rawValue), "label": .string(entry.descriptor.title),
                        "summary": .string(entry.descriptor.summary), "checked": .bool(chosen.contains(entry.descriptor.role)),
                    ])
                }),
            "regionOptions": .array(
                try await runtime.regions.all().map { region in
                    .object([
                        "value": .string(region.code.rawValue), "label": .string(region.name),
                        "checked": .bool(!everyRegion && regions.contains(region.code)),
                    ])
                }),
            "allRegions": .bool(everyRegion),
        ]
    }

    /// The regions a form names: every region when its box is ticked, else those ticked.
    static func scope(_ form: FormValues) -> RegionScope {
        if form.single("allRegions") == "true" { return .all }
        return .only(Set(form.all("regions").compactMap(RegionCode.init)))
    }
}
