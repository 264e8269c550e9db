import Foundation

/// One schema change of a domain. Statements are SQL that runs on both engines; the few places
/// where column types differ are written as tokens the storage layer expands:
/// `{{autoincrement}}` (an integer primary key that counts up), `{{blob}}` (bytes),
/// `{{double}}` (a floating point column). Where a statement cannot be portable (triggers),
/// `.dialects(sqlite:postgres:)` gives both forms.
/// The checksum covers the statements as written, so it is the same on both engines, and a
/// shipped migration that is edited afterwards is refused.
public struct Migration: Sendable {
    public let id: String
    public let summary: String
    public let statements: [MigrationStatement]

    public init(_ id: String, _ summary: String, _ statements: [MigrationStatement]) {
        self.id = id
        self.summary = summary
        self.statements = statements
    }
}

public struct MigrationStatement: Sendable, ExpressibleByStringLiteral, ExpressibleByStringInterpolation {
    public let sqlite: String
    public let postgres: String

    public init(stringLiteral value: String) {
        sqlite = value
        postgres = value
    }

    public init(stringInterpolation: DefaultStringInterpolation) {
        let text = String(stringInterpolation: stringInterpolation)
        sqlite = text
        postgres = text
    }

    public static func dialects(sqlite: String, postgres: String) -> MigrationStatement {
        MigrationStatement(sqlite: sqlite, postgres: postgres)
    }

    private init(sqlite: String, postgres: String) {
        self.sqlite = sqlite
        self.postgres = postgres
    }

    public func text(for family: SQLDialectFamily) -> String {
        family == .sqlite ? sqlite : postgres
    }
}
