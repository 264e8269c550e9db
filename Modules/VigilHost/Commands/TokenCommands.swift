import ArgumentParser
import Calendars
import Foundation
import Kernel
import VigilIdentity
import VigilServer

struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Manage API tokens (bearer credentials for scripts and integrations).",
        subcommands: [Create.self, List.self, Revoke.self]
    )

    static func table(_ tokens: [APIToken], emails: [UUID: String]) -> Table {
        Table(
            ["id", "user", "name", "prefix", "created", "expires", "state"],
            tokens.map { token in
                [
                    token.id.lowercased, emails[token.userID] ?? token.userID.lowercased, token.name, token.prefix + "…", ISO8601.format(token.createdAt),
                    token.expiresAt.map(ISO8601.format) ?? "never", token.revokedAt != nil ? "revoked" : (token.isUsable(at: Date()) ? "active" : "expired"),
                ]
            })
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "create", abstract: "Create a token for a user and print its secret once.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "Email of the token's user.") var user: String
        @Option(help: "What the token is for.") var name: String = "cli"
        @Option(help: "Days until the token expires (default: never).") var expiresInDays: Int?

        private struct Created: Encodable { let token: APIToken; let secret: String }

        func run() async throws {
            if let expiresInDays, !(1...3650).contains(expiresInDays) {
                throw CommandFailure.usage("--expires-in-days must be 1 to 3650")
            }
            try await PlatformCommand.run(global) { runtime, invocation, output in
                guard let owner = try await runtime.users.find(email: user) else { throw VigilError.notFound("user \(user)") }
                let expiry = expiresInDays.map { runtime.clock.now().addingTimeInterval(Double($0) * 86_400) }
                let issued = try await runtime.tokens.create(for: owner, name: name, expiresAt: expiry, by: invocation)
                if output.json {
                    try output.emit(Created(token: issued.token, secret: issued.secret)) { Table([], []) }
                } else {
                    output.line(
                        "Token \(issued.token.id.lowercased) for \(owner.email) (\(issued.token.name)), expires \(expiry.map(ISO8601.format) ?? "never").")
                    output.line("Secret, shown only now:")
                    output.line(issued.secret)
                }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List tokens (never their secrets).")
        @OptionGroup var global: GlobalOptions
        @Option(help: "Only the tokens of this user (email).") var user: String?

        func run() async throws {
            try await PlatformCommand.run(global) { runtime, invocation, output in
                var userID: UUID?
                if let user {
                    guard let owner = try await runtime.users.find(email: user) else { throw VigilError.notFound("user \(user)") }
                    userID = owner.id
                }
                if userID == nil || userID != invocation.principal.userID { try invocation.principal.require(PlatformPermissions.tokenManage) }
                let tokens = try await runtime.tokens.list(userID: userID)
                let emails = Dictionary(try await runtime.users.list(limit: 10_000).map { ($0.id, $0.email) }, uniquingKeysWith: { first, _ in first })
                try output.emit(tokens) { TokenCommand.table(tokens, emails: emails) }
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "revoke", abstract: "Revoke a token; it stops working within auth.token-cache-seconds.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The token's id (from token list).") var id: String

        func run() async throws {
            guard let tokenID = UUID(uuidString: id) else { throw CommandFailure.usage("\(id) is not a token id") }
            try await PlatformCommand.run(global) { runtime, invocation, output in
                let token = try await runtime.tokens.revoke(id: tokenID, by: invocation)
                try output.emit(token) { TokenCommand.table([token], emails: [:]) }
            }
        }
    }
}
