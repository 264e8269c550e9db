import ArgumentParser
import Foundation
import Kernel
import VigilIdentity
import VigilServer

struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "Manage users: who may sign in, with which roles, in which regions.",
        subcommands: [Add.self, List.self, Access.self, Password.self, Deactivate.self, Activate.self]
    )

    static func table(_ users: [User]) -> Table {
        Table(
            ["email", "name", "roles", "regions", "active", "id"],
            users.map { user in
                [
                    user.email, user.name, user.roles.map(\.rawValue).joined(separator: ","),
                    user.regions.filter.map { $0.map(\.rawValue).joined(separator: ",") } ?? "all",
                    user.active ? "yes" : "no", user.id.lowercased,
                ]
            })
    }

    /// Reads one line (a password) from standard input, for scripts: `echo … | vigil user add … --password-stdin`.
    static func readPassword() throws -> String {
        guard let line = readLine(strippingNewline: true), !line.isEmpty else {
            throw VigilError.invalid("password", .required, "--password-stdin expects the password on standard input")
        }
        return line
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Create a user.",
            discussion: "Example: vigil user add --email ana@example.com --name 'Ana Souza' --role analyst --region BR-SP --password-stdin"
        )

        @OptionGroup var global: GlobalOptions
        @Option(help: "Email; also the sign-in name.") var email: String
        @Option(help: "Full name.") var name: String
        @Option(name: .customLong("role"), help: "A role (repeat for several); `vigil roles` lists those of this build.") var roles: [String] = []
        @Option(name: .customLong("region"), help: "A region the user works in (repeat for several), e.g. BR-SP.", transform: ArgumentValue.region) var regions:
            [RegionCode] = []
        @Flag(help: "The user sees and changes records of every region.") var allRegions = false
        @Flag(help: "Shorthand for --role admin --all-regions.") var admin = false
        @Flag(help: "Read the password from standard input (otherwise the user signs in only with tokens).") var passwordStdin = false

        func run() async throws {
            var roleList: [Role] = roles.map { Role($0) }
            var scope: RegionScope = .only(Set(regions))
            if admin {
                roleList.append(.admin)
                scope = .all
            } else if allRegions {
                scope = .all
            }
            let password = passwordStdin ? try UserCommand.readPassword() : nil
            try await PlatformCommand.run(global) { runtime, invocation, output in
                let user = try await runtime.users.create(.init(email: email, name: name, password: password, roles: roleList, regions: scope), by: invocation)
                try output.emit(user) { UserCommand.table([user]) }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List users.")
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await PlatformCommand.run(global) { runtime, invocation, output in
                try invocation.principal.require(PlatformPermissions.userRead)
                let users = try await runtime.users.list()
                try output.emit(users) { UserCommand.table(users) }
            }
        }
    }

    struct Password: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "passwd", abstract: "Set a user's password (read from standard input).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The user's email.") var email: String

        func run() async throws {
            let password = try UserCommand.readPassword()
            try await PlatformCommand.run(global) { runtime, invocation, output in
                try await runtime.users.setPassword(email: email, password: password, by: invocation)
                output.note("Password of \(email) changed.")
            }
        }
    }

    struct Deactivate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "deactivate", abstract: "Stop a user from signing in; their tokens and sessions stop working.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The user's email.") var email: String

        func run() async throws {
            try await PlatformCommand.run(global) { runtime, invocation, output in
                let user = try await runtime.users.setActive(email: email, active: false, by: invocation)
                try output.emit(user) { UserCommand.table([user]) }
            }
        }
    }

    struct Activate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "activate", abstract: "Let a deactivated user sign in again.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The user's email.") var email: String

        func run() async throws {
            try await PlatformCommand.run(global) { runtime, invocation, output in
                let user = try await runtime.users.setActive(email: email, active: true, by: invocation)
                try output.emit(user) { UserCommand.table([user]) }
            }
        }
    }

    struct Access: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "access", abstract: "Set a user's roles and regions (replacing those they had).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The user's email.") var email: String
        @Option(name: .customLong("role"), help: "A role (repeat for several).") var roles: [String] = []
        @Option(name: .customLong("region"), help: "A region (repeat for several), e.g. BR-SP.", transform: ArgumentValue.region) var regions: [RegionCode] = []
        @Flag(help: "Every region.") var allRegions = false

        func run() async throws {
            try await PlatformCommand.run(global) { runtime, invocation, output in
                let scope: RegionScope = allRegions ? .all : .only(Set(regions))
                let user = try await runtime.users.setAccess(
                    email: email, roles: roles.map { Role($0) }, regions: scope, expectedVersion: nil, by: invocation)
                try output.emit(user) { UserCommand.table([user]) }
            }
        }
    }
}
