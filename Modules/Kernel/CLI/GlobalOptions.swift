import ArgumentParser
import Foundation

/// Options every command takes, so `vigil incident-ops case list --json --database …` works the
/// same way in every group.
public struct GlobalOptions: ParsableArguments, Sendable {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "SQLite file path or postgres:// URL (default: VIGIL_DATABASE_URL, then the config file, then ./vigil.sqlite).", valueName: "path-or-url"))
    public var database: String?

    @Option(name: .long, help: ArgumentHelp("JSON config file (default: VIGIL_CONFIG, then ./vigil.json if present).", valueName: "file"))
    public var config: String?

    @Flag(name: .long, help: "Print JSON for scripts instead of a table.")
    public var json = false

    @Option(
        name: .customLong("as"), help: ArgumentHelp("Act as this user (email), with their roles and regions, instead of the host's admin.", valueName: "email"))
    public var actAs: String?

    @Option(name: .long, help: "Why you make this change; recorded in the audit log.")
    public var reason: String?

    public init() {}
}
