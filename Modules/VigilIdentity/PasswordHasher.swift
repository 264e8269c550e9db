import Foundation
import HummingbirdBcrypt
import Kernel
import NIOPosix

/// bcrypt, run on a thread pool: a hash takes a quarter of a second at cost 12 and must not hold
/// one of the few threads that serve requests.
public struct PasswordHasher: Sendable {
    public let cost: UInt8

    public init(cost: UInt8 = 12) { self.cost = cost }

    public func hash(_ password: String) async throws -> String {
        let cost = self.cost
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    public func verify(_ password: String, hash: String) async throws -> Bool {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }
    }

    /// Passwords: at least 12 characters, at most 72 bytes (bcrypt's limit; longer input would be
    /// silently cut).
    public static func validate(_ password: String) throws(Kernel.VigilError) {
        guard password.count >= 12 else { throw .invalid("password", .tooShort, "must be at least 12 characters") }
        guard password.utf8.count <= 72 else { throw .invalid("password", .tooLong, "must be at most 72 bytes") }
    }
}
