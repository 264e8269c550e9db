import Foundation
import Kernel

/// Where the data lives, parsed from `--database`, VIGIL_DATABASE_URL or the config file:
/// a SQLite file path (or `sqlite:` URL), or a `postgres://` URL.
public enum DatabaseLocation: Sendable, Equatable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(url: String)

    public static let defaultSQLitePath = "./vigil.sqlite"

    public init(_ text: String) throws(VigilError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.hasPrefix("postgres://") || trimmed.hasPrefix("postgresql://") {
            self = .postgres(url: trimmed)
        } else if trimmed.hasPrefix("sqlite://") {
            self = .sqlite(path: String(trimmed.dropFirst("sqlite://".count)))
        } else if trimmed.hasPrefix("sqlite:") {
            self = .sqlite(path: String(trimmed.dropFirst("sqlite:".count)))
        } else if trimmed.contains("://") {
            throw VigilError(
                .badRequest,
                "unsupported database URL '\(DatabaseLocation.redact(trimmed))': use a SQLite file path or postgres://user:password@host:port/database")
        } else if trimmed.isEmpty {
            throw VigilError(.badRequest, "the database location is empty")
        } else {
            self = .sqlite(path: trimmed)
        }
    }

    public var family: SQLDialectFamily {
        switch self {
        case .sqlite: .sqlite
        case .postgres: .postgres
        }
    }

    /// The location without its password, for logs and `vigil config show`.
    public var description: String {
        switch self {
        case .sqlite(let path): path
        case .postgres(let url): DatabaseLocation.redact(url)
        }
    }

    static func redact(_ url: String) -> String {
        guard var components = URLComponents(string: url), components.password != nil else { return url }
        components.password = "***"
        return components.string ?? url
    }
}
