import Foundation
import Kernel
import Logging
import PostgresKit
import VigilStorage

/// The databases a storage test runs on: SQLite always, PostgreSQL when VIGIL_TEST_POSTGRES_URL
/// names a server (CI starts one).
public enum TestEngine: String, Sendable, CustomStringConvertible, CaseIterable {
    case sqlite, postgres

    public static var available: [TestEngine] {
        ProcessInfo.processInfo.environment["VIGIL_TEST_POSTGRES_URL"] == nil ? [.sqlite] : [.sqlite, .postgres]
    }

    public var description: String { rawValue }
}

/// A fresh, empty database for one test: a SQLite file in a temporary folder, or a new
/// PostgreSQL database created on the test server and dropped afterwards.
public struct TestDatabase: Sendable {
    public let engine: TestEngine
    public let location: DatabaseLocation
    public let folder: URL
    private let dropName: String?

    public static func make(_ engine: TestEngine) async throws -> TestDatabase {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-test-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        switch engine {
        case .sqlite:
            return TestDatabase(engine: engine, location: .sqlite(path: folder.appendingPathComponent("vigil.sqlite").path), folder: folder, dropName: nil)
        case .postgres:
            guard let base = ProcessInfo.processInfo.environment["VIGIL_TEST_POSTGRES_URL"] else {
                throw VigilError(.unavailable, "VIGIL_TEST_POSTGRES_URL is not set")
            }
            let name = "vigil_test_\(UUID().uuidString.prefix(12).lowercased().replacingOccurrences(of: "-", with: ""))"
            try await TestDatabase.admin(base) { sql in try await sql.raw("CREATE DATABASE \(unsafeRaw: name)").run() }
            return TestDatabase(engine: engine, location: .postgres(url: TestDatabase.url(base, database: name)), folder: folder, dropName: name)
        }
    }

    public var sqlitePath: String? {
        if case .sqlite(let path) = location { return path }
        return nil
    }

    /// PostgreSQL connections are waited for longer than in production: the whole suite runs at
    /// once on two cores, and a test of 60 concurrent transactions queues behind it.
    public func open(logger: Logger = TestDatabase.quietLogger) async throws -> any ManagedDatabase {
        if case .postgres(let url) = location { return try await PostgresStore.open(url: url, connectionWait: .seconds(180), logger: logger) }
        return try await DatabaseOpener.open(location, logger: logger)
    }

    public func destroy() async {
        try? FileManager.default.removeItem(at: folder)
        if let dropName, let base = ProcessInfo.processInfo.environment["VIGIL_TEST_POSTGRES_URL"] {
            try? await TestDatabase.admin(base) { sql in try await sql.raw("DROP DATABASE IF EXISTS \(unsafeRaw: dropName) WITH (FORCE)").run() }
        }
    }

    public static let quietLogger: Logger = {
        var logger = Logger(label: "vigil-test")
        logger.logLevel = .critical
        return logger
    }()

    static func url(_ base: String, database: String) -> String {
        guard var components = URLComponents(string: base) else { return base }
        components.path = "/" + database
        return components.string ?? base
    }

    private static func admin(_ base: String, _ body: @escaping @Sendable (any SQLDatabase) async throws -> Void) async throws {
        let store = try await PostgresStore.open(url: base, maxConnectionsPerLoop: 1, logger: quietLogger)
        do {
            try await body(store.sql)
            await store.close()
        } catch {
            await store.close()
            throw error
        }
    }
}

/// Runs `body` on a fresh database with the platform schema (and any extra migrations) applied,
/// closing and removing it afterwards whatever happens.
public func withPlatformDatabase(
    _ engine: TestEngine,
    extra: [(domain: DomainID, migration: Migration)] = [],
    _ body: (any ManagedDatabase) async throws -> Void
) async throws {
    let database = try await TestDatabase.make(engine)
    let store = try await database.open()
    do {
        try await Migrator(database: store, plan: MigrationPlan(PlatformSchema.migrations.map { (DomainID.platform, $0) } + extra)).apply(by: "test")
        try await body(store)
    } catch {
        await store.close()
        await database.destroy()
        throw error
    }
    await store.close()
    await database.destroy()
}
