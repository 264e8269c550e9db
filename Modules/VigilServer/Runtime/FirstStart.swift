import Foundation
import Kernel
import VigilIdentity

/// On first start of an empty installation, create an admin and print a token, so that the two
/// README commands are enough to have a working server and a way into it.
public enum FirstStart {
    public struct Credentials: Sendable {
        public let email: String
        public let password: String
        public let token: String
    }

    public static func ensureAdmin(_ runtime: VigilRuntime) async throws -> Credentials? {
        guard runtime.settings.createAdminOnFirstStart, try await !runtime.users.hasActiveAdmin() else { return nil }
        let invocation = Invocation(
            principal: runtime.systemPrincipal("first-start"), channel: .cli, requestID: "first-start", reason: "first start: no active admin")
        let password = randomPassword()
        let email = runtime.settings.adminEmail
        let user: User
        if let existing = try await runtime.users.find(email: email) {
            user = try await runtime.users.setActive(email: existing.email, active: true, by: invocation)
            try await runtime.users.setPassword(email: email, password: password, by: invocation)
        } else {
            user = try await runtime.users.create(
                .init(email: email, name: "Administrator", password: password, roles: [.admin], regions: .all), by: invocation)
        }
        let issued = try await runtime.tokens.create(for: user, name: "first-start", expiresAt: nil, by: invocation)
        return Credentials(email: email, password: password, token: issued.secret)
    }

    static func randomPassword() -> String {
        let alphabet = Array("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<20).map { _ in alphabet.randomElement(using: &generator)! })
    }
}
