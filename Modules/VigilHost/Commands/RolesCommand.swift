import ArgumentParser
import Foundation
import Kernel

/// The roles of this build, who declared each, and what each may do: read from the registry, so
/// a region build lists only the roles of its domains.
struct RolesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "roles", abstract: "List the roles of this build and their permissions.")

    @Flag(help: "Print JSON for scripts instead of a table.") var json = false

    private struct Row: Encodable {
        let role: String
        let title: String
        let declaredBy: String
        let summary: String
        let permissions: [String]
    }

    func run() throws {
        let catalog = VigilCLI.registry.roleCatalog
        let rows = catalog.roles.map { entry in
            Row(
                role: entry.descriptor.role.rawValue, title: entry.descriptor.title, declaredBy: entry.domain.rawValue, summary: entry.descriptor.summary,
                permissions: catalog.permissions(of: [entry.descriptor.role]).map(\.rawValue).sorted())
        }
        try CommandOutput(json: json).emit(rows) {
            Table(
                ["role", "title", "declared by", "permissions"],
                rows.map {
                    [
                        $0.role, $0.title, $0.declaredBy,
                        $0.permissions.count == catalog.permissions.count ? "all (\($0.permissions.count))" : $0.permissions.joined(separator: " "),
                    ]
                })
        }
    }
}
