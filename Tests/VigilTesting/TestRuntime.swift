import Configuration
import Foundation
import Kernel
import Logging
import VigilIdentity
import VigilServer
import VigilStorage

/// A runtime over a fresh database with the given domains, a fixed clock and fast bcrypt, plus
/// helpers to make users and tokens.
public struct TestRuntime: Sendable {
    public let runtime: VigilRuntime
    public let database: TestDatabase
    public let clock: FixedWallClock

    public static func make(
        _ engine: TestEngine = .sqlite,
        domains: [any DomainModule.Type],
        settings extra: [String: String] = [:],
        clock: FixedWallClock = FixedWallClock()
    ) async throws -> TestRuntime {
        let database = try await TestDatabase.make(engine)
        var values = TestRuntime.baseSettings
        values.merge(extra) { _, new in new }
        let config = ConfigReader(provider: EnvironmentVariablesProvider(environmentVariables: values).prefixKeys(with: "vigil"))
        let databaseText: String =
            switch database.location {
            case .sqlite(let path): path
            case .postgres(let url): url
            }
        let settings = try RuntimeSettings(config: config, databaseOverride: databaseText)
        let registry = try DomainRegistry(domains)
        let runtime = try await VigilRuntime.open(
            registry: registry, settings: settings, config: config, schema: .migrate, clock: clock, logger: TestDatabase.quietLogger)
        return TestRuntime(runtime: runtime, database: database, clock: clock)
    }

    public func close() async {
        await runtime.close()
        await database.destroy()
    }

    /// Closes this runtime and opens a new one over the same database, as a restart would.
    public func restarted(domains: [any DomainModule.Type], settings extra: [String: String] = [:]) async throws -> TestRuntime {
        await runtime.close()
        let config = ConfigReader(
            provider: EnvironmentVariablesProvider(environmentVariables: TestRuntime.baseSettings.merging(extra) { _, new in new }).prefixKeys(with: "vigil"))
        let databaseText: String =
            switch database.location {
            case .sqlite(let path): path
            case .postgres(let url): url
            }
        let settings = try RuntimeSettings(config: config, databaseOverride: databaseText)
        let runtime = try await VigilRuntime.open(
            registry: try DomainRegistry(domains), settings: settings, config: config, schema: .migrate, clock: clock, logger: TestDatabase.quietLogger)
        return TestRuntime(runtime: runtime, database: database, clock: clock)
    }

    static let baseSettings: [String: String] = [
        "VIGIL_AUTH_BCRYPT_COST": "4", "VIGIL_AUTH_TOKEN_CACHE_SECONDS": "0", "VIGIL_OUTBOX_POLL_MILLISECONDS": "50",
        "VIGIL_BOOTSTRAP_CREATE_ADMIN": "false",
        // The whole suite shares two cores: a PostgreSQL statement may queue for a connection far
        // longer than in production, and a test must not fail for waiting.
        "VIGIL_DATABASE_POSTGRES_POOL_WAIT_SECONDS": "180",
    ]

    /// The host's admin, acting through the CLI channel.
    public func system() -> Invocation {
        Invocation(principal: runtime.systemPrincipal("test"), channel: .cli, requestID: "test-\(UUID().uuidString.prefix(8))")
    }

    /// A user with the given roles and regions, and a bearer token of theirs.
    public func user(_ email: String, roles: [Role], regions: RegionScope) async throws -> (user: User, principal: Principal, token: String) {
        let user = try await runtime.users.create(.init(email: email, name: email, password: nil, roles: roles, regions: regions), by: system())
        let issued = try await runtime.tokens.create(for: user, name: "test", expiresAt: nil, by: system())
        return (user, runtime.users.principal(for: user), issued.secret)
    }

    public func invocation(_ principal: Principal) -> Invocation {
        Invocation(principal: principal, channel: .http, requestID: "test-\(UUID().uuidString.prefix(8))")
    }

    /// Rows in a table, for checking that nothing was written.
    public func count(_ table: String) async throws -> Int {
        try await runtime.database.sql.raw("SELECT COUNT(*) AS n FROM \(unsafeRaw: table)").first()?.decode(column: "n", as: Int.self) ?? -1
    }

    /// Rows of every table, to show that a refused or repeated request wrote nothing.
    public func rowCounts() async throws -> [String: Int] {
        let sql =
            database.engine == .sqlite
            ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            : "SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema()"
        var counts: [String: Int] = [:]
        for row in try await runtime.database.sql.raw("\(unsafeRaw: sql)").all() {
            let table = try row.decode(column: "name", as: String.self)
            counts[table] = try await count(table)
        }
        return counts
    }

    /// The tables whose row count changed between two `rowCounts`, with by how much.
    public static func delta(_ before: [String: Int], _ after: [String: Int]) -> [String: Int] {
        after.reduce(into: [:]) { result, entry in
            let change = entry.value - (before[entry.key] ?? 0)
            if change != 0 { result[entry.key] = change }
        }
    }
}
