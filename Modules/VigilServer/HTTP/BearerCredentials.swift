import Foundation
import Hummingbird
import Kernel
import VigilIdentity

/// Finds who is calling: `Authorization: Bearer <token>` for scripts and integrations, or the
/// `vigil_session` cookie of the web console.
enum BearerCredentials {
    static let sessionCookie = "vigil_session"

    static func secret(in request: Request) -> String? {
        if let header = request.headers[.authorization] {
            let parts = header.split(separator: " ", maxSplits: 1)
            if parts.count == 2, parts[0].lowercased() == "bearer" { return String(parts[1]).trimmingCharacters(in: .whitespaces) }
            return nil
        }
        return request.cookies[sessionCookie]?.value
    }

    static func principal(for request: Request, authenticator: Authenticator) async throws -> Principal {
        guard let secret = secret(in: request) else {
            throw VigilError(.unauthorized, "sign in, or send an API token as 'Authorization: Bearer <token>'")
        }
        guard let principal = try await authenticator.principal(forSecret: secret) else {
            throw VigilError(.unauthorized, "the token or session is unknown, expired or revoked, or its user is deactivated")
        }
        return principal
    }
}
