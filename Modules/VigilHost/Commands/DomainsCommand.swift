import ArgumentParser
import Foundation
import Kernel

struct DomainsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "domains", abstract: "List the domains compiled into this build.")

    @Flag(help: "Print JSON for scripts instead of a table.") var json = false

    private struct Row: Encodable {
        let id: String
        let title: String
        let version: String
        let dependencies: [String]
        let permissions: [String]
        let migrations: Int
    }

    func run() throws {
        let rows = VigilCLI.registry.modules.map { module in
            Row(
                id: module.id.rawValue, title: module.title, version: module.version,
                dependencies: module.dependencies.map { "\($0.domain)\($0.strength == .optional ? " (optional)" : "")" },
                permissions: module.permissions.map(\.permission.rawValue), migrations: module.migrations.count)
        }
        try CommandOutput(json: json).emit(rows) {
            Table(
                ["id", "title", "version", "permissions", "migrations", "depends on"],
                rows.map {
                    [$0.id, $0.title, $0.version, String($0.permissions.count), String($0.migrations), $0.dependencies.joined(separator: ", ")]
                })
        }
    }
}
