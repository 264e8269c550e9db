import Foundation
import Kernel
import VigilIdentity
import VigilStorage

/// The platform's own API, mounted under /api beside the domains' prefixes.
struct PlatformEndpoints {
    let runtime: VigilRuntime

    func all() -> [Endpoint] {
        [signIn, signOut, me, auditTimeline, domains]
    }

    private struct SignIn: Decodable { let email: String; let password: String }
    private struct SessionOut: Encodable { let token: String; let expiresAt: Date; let user: User }

    var signIn: Endpoint {
        Endpoint(
            .post, "/session", operationID: "signIn", summary: "Sign in with email and password (web console)", permission: nil,
            requestBody: PlatformSchemas.login,
            responses: [
                ResponseDoc(201, "Signed in", PlatformSchemas.session), ResponseDoc(401, "Wrong email or password, or a deactivated account"),
                ResponseDoc(429, "Too many failed sign-ins for the account or the address; see Retry-After"),
            ], anonymous: true
        ) { request in
            let input = try request.decode(SignIn.self, schema: PlatformSchemas.login)
            let session = try await runtime.sessions.login(
                email: input.email, password: input.password, requestID: request.invocation.requestID,
                clientAddress: request.clientAddress)
            var response = try EndpointResponse.json(SessionOut(token: session.secret, expiresAt: session.expiresAt, user: session.user), status: 201)
            let maxAge = Int(session.expiresAt.timeIntervalSince(runtime.clock.now()))
            response.headers["Set-Cookie"] = "\(BearerCredentials.sessionCookie)=\(session.secret); Path=/; Max-Age=\(maxAge); HttpOnly; SameSite=Strict"
            return response
        }
    }

    var signOut: Endpoint {
        Endpoint(
            .delete, "/session", operationID: "signOut", summary: "Sign out of the current console session", permission: nil,
            responses: [ResponseDoc(204, "Signed out")]
        ) { request in
            try await runtime.sessions.logout(by: request.invocation)
            runtime.authenticator.invalidate()
            var response = EndpointResponse.noContent
            response.headers["Set-Cookie"] = "\(BearerCredentials.sessionCookie)=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict"
            return response
        }
    }

    private struct MeOut: Encodable {
        let actor: String
        let kind: String
        let displayName: String
        let roles: [String]
        let permissions: [String]
        /// null means every region: written as null, not left out, as the document requires it.
        let regions: [String]?

        enum CodingKeys: String, CodingKey { case actor, kind, displayName, roles, permissions, regions }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(actor, forKey: .actor)
            try container.encode(kind, forKey: .kind)
            try container.encode(displayName, forKey: .displayName)
            try container.encode(roles, forKey: .roles)
            try container.encode(permissions, forKey: .permissions)
            if let regions { try container.encode(regions, forKey: .regions) } else { try container.encodeNil(forKey: .regions) }
        }
    }

    var me: Endpoint {
        Endpoint(
            .get, "/me", operationID: "me", summary: "Who the caller is: roles, permissions and regions", permission: nil,
            responses: [ResponseDoc(200, "The caller", PlatformSchemas.me)]
        ) { request in
            let principal = request.principal
            return try .json(
                MeOut(
                    actor: principal.actor, kind: principal.kind.rawValue, displayName: principal.displayName,
                    roles: principal.roles.sorted().map(\.rawValue), permissions: principal.permissions.sorted().map(\.rawValue),
                    regions: principal.regions.filter?.map(\.rawValue)))
        }
    }

    var auditTimeline: Endpoint {
        Endpoint(
            .get, "/audit", operationID: "auditTimeline", summary: "The audit timeline of one entity, oldest first", permission: PlatformPermissions.auditRead,
            query: [QueryParameter("entity", .string(maxLength: 300, minLength: 3), "type/id, e.g. incident-ops.case/0192…")],
            responses: [ResponseDoc(200, "Audit records", .array(PlatformSchemas.auditRecord))]
        ) { request in
            guard let text = request.query["entity"], let entity = EntityRef(parsing: text) else {
                throw VigilError.invalid("entity", .required, "give the entity as type/id")
            }
            return try .json(try await runtime.auditReader.timeline(of: entity, for: request.principal))
        }
    }

    private struct DomainOut: Encodable { let id: String; let title: String; let version: String }

    var domains: Endpoint {
        Endpoint(
            .get, "/domains", operationID: "listDomains", summary: "The domains compiled into this build", permission: nil,
            responses: [ResponseDoc(200, "Domains", .array(PlatformSchemas.domain))]
        ) { _ in
            try .json(runtime.registry.modules.map { DomainOut(id: $0.id.rawValue, title: $0.title, version: $0.version) })
        }
    }
}
