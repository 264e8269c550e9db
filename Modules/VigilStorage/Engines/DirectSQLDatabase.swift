import Foundation
import Kernel
import Logging
import NIOCore
import NIOPosix
import SQLKit
import SQLiteKit
import SQLiteNIO
import Synchronization

/// A row of a direct SQLite statement, decoded with SQLiteKit's decoder so that values read the
/// same way as through SQLiteKit.
struct DirectSQLiteRow: SQLRow {
    let columns: ColumnIndex
    let values: [SQLiteData]

    var allColumns: [String] { columns.names }

    func contains(column: String) -> Bool { columns.position(of: column) != nil }

    func decodeNil(column: String) throws -> Bool {
        guard let position = columns.position(of: column) else { throw MissingColumn(column: column) }
        if case .null = values[position] { return true }
        return false
    }

    func decode<D: Decodable>(column: String, as type: D.Type) throws -> D {
        guard let position = columns.position(of: column) else { throw MissingColumn(column: column) }
        let value = values[position]
        // The common column types without the decoder's existential casts; the rest as SQLiteKit does.
        if let fast = DirectSQLiteRow.fastDecode(value, as: D.self) { return fast }
        return try DirectSQLiteRow.decoder.decode(D.self, from: value)
    }

    // Metatypes compared by identity: comparing `D.self == String?.self` would instantiate the
    // Optional's metadata on every call.
    private static let string = ObjectIdentifier(String.self)
    private static let optionalString = ObjectIdentifier(String?.self)
    private static let int64 = ObjectIdentifier(Int64.self)
    private static let optionalInt64 = ObjectIdentifier(Int64?.self)
    private static let int = ObjectIdentifier(Int.self)
    private static let optionalInt = ObjectIdentifier(Int?.self)
    private static let bool = ObjectIdentifier(Bool.self)
    private static let double = ObjectIdentifier(Double.self)
    private static let optionalDouble = ObjectIdentifier(Double?.self)

    private static func fastDecode<D>(_ value: SQLiteData, as type: D.Type) -> D? {
        let wanted = ObjectIdentifier(D.self)
        switch value {
        case .text(let text):
            if wanted == string { return unsafeBitCast(text, to: D.self) }
        case .integer(let number):
            if wanted == int64 { return unsafeBitCast(Int64(number), to: D.self) }
            if wanted == int { return unsafeBitCast(number, to: D.self) }
            if wanted == bool { return unsafeBitCast(number != 0, to: D.self) }
            if wanted == double { return unsafeBitCast(Double(number), to: D.self) }
        case .float(let number):
            if wanted == double { return unsafeBitCast(number, to: D.self) }
        case .null, .blob:
            break
        }
        return fastDecodeOptional(value, wanted: wanted, as: D.self)
    }

    /// Optional targets apart: touching `Optional<String>` and the like in the function above made
    /// every call instantiate their metadata (a runtime cache look-up), optional or not.
    @inline(never)
    private static func fastDecodeOptional<D>(_ value: SQLiteData, wanted: ObjectIdentifier, as type: D.Type) -> D? {
        switch value {
        case .text(let text):
            if wanted == optionalString { return unsafeBitCast(Optional(text), to: D.self) }
        case .integer(let number):
            if wanted == optionalInt64 { return unsafeBitCast(Optional(Int64(number)), to: D.self) }
            if wanted == optionalInt { return unsafeBitCast(Optional(number), to: D.self) }
            if wanted == optionalDouble { return unsafeBitCast(Optional(Double(number)), to: D.self) }
        case .float(let number):
            if wanted == optionalDouble { return unsafeBitCast(Optional(number), to: D.self) }
        case .null:
            if wanted == optionalString { return unsafeBitCast(String?.none, to: D.self) }
            if wanted == optionalInt64 { return unsafeBitCast(Int64?.none, to: D.self) }
            if wanted == optionalInt { return unsafeBitCast(Int?.none, to: D.self) }
            if wanted == optionalDouble { return unsafeBitCast(Double?.none, to: D.self) }
        case .blob:
            break
        }
        return nil
    }

    static let decoder = SQLiteDataDecoder()

    struct MissingColumn: Error, CustomStringConvertible {
        let column: String
        var description: String { "no column \(column) in the result" }
    }
}

/// SQLKit over direct SQLite connections: a fixed one (the writer) or one checked out of a pool
/// for each statement (readers).
final class DirectSQLDatabase: SQLDatabase {
    enum Source: Sendable {
        case fixed(DirectSQLiteConnection)
        case pool(DirectSQLitePool)
    }

    let source: Source
    let logger: Logger
    let eventLoop: any EventLoop
    /// Threads of their own for reader statements. A statement blocks its thread while SQLite
    /// works (a report's scan takes seconds, a busy_timeout wait up to its limit); on Swift's
    /// cooperative pool that would stall every request queued behind it. Nil for the writer's
    /// connection, whose statements already run on the writer's thread.
    let threads: NIOThreadPool?
    var dialect: any SQLDialect { SQLiteDialect() }
    var queryLogLevel: Logger.Level? { nil }
    private static let encoder = SQLiteDataEncoder()

    init(_ source: Source, threads: NIOThreadPool? = nil, logger: Logger) {
        self.source = source
        self.threads = threads
        self.logger = logger
        self.eventLoop = MultiThreadedEventLoopGroup.singleton.any()
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> ()) async throws {
        guard let threads else { return try run(query, onRow) }
        let (sql, binds) = serialize(query)
        try await threads.runIfActive { try self.run(sql, binds, onRow) }
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> ()) -> EventLoopFuture<Void> {
        guard let threads else { return eventLoop.makeCompletedFuture { try run(query, onRow) } }
        let (sql, binds) = serialize(query)
        return threads.runIfActive(eventLoop: eventLoop) { try self.run(sql, binds, onRow) }
    }

    func withSession<R>(_ closure: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await closure(self)
    }

    private func run(_ query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> ()) throws {
        let (sql, binds) = serialize(query)
        try run(sql, binds, onRow)
    }

    private func run(_ sql: String, _ binds: [any Encodable & Sendable], _ onRow: @escaping @Sendable (any SQLRow) -> ()) throws {
        let values = try binds.map { try DirectSQLDatabase.encoder.encode($0) }
        switch source {
        case .fixed(let connection):
            try connection.execute(sql, values) { onRow($0) }
        case .pool(let pool):
            try pool.withConnection { try $0.execute(sql, values) { onRow($0) } }
        }
    }
}

extension DirectSQLDatabase: BatchStatementDatabase {
    /// One prepared statement (from the connection's cache) bound and stepped per row: no SQL is
    /// serialized and no value goes through the Encodable machinery.
    func executeBatch(_ sql: String, rows: [[SQLValue]], onRow: (Int, any SQLRow) throws -> Void) throws {
        func run(_ connection: DirectSQLiteConnection) throws {
            for (index, row) in rows.enumerated() {
                let values = row.map { value -> SQLiteData in
                    switch value {
                    case .null: .null
                    case .integer(let number): .integer(Int(number))
                    case .text(let text): .text(text)
                    case .real(let number): .float(number)
                    }
                }
                try connection.execute(sql, values) { try onRow(index, $0) }
            }
        }
        switch source {
        case .fixed(let connection): try run(connection)
        case .pool(let pool): try pool.withConnection { try run($0) }
        }
    }
}

/// Reader connections, checked out for one statement at a time. Statements run synchronously, so
/// the pool never holds more connections than there are threads running statements at once.
final class DirectSQLitePool: Sendable {
    private let free = Mutex<[DirectSQLiteConnection]>([])
    private let all = Mutex<[DirectSQLiteConnection]>([])
    private let factory: @Sendable () throws -> DirectSQLiteConnection

    init(factory: @escaping @Sendable () throws -> DirectSQLiteConnection) {
        self.factory = factory
    }

    func withConnection<R>(_ body: (DirectSQLiteConnection) throws -> R) throws -> R {
        let connection = try free.withLock { $0.popLast() } ?? makeConnection()
        defer { free.withLock { $0.append(connection) } }
        return try body(connection)
    }

    private func makeConnection() throws -> DirectSQLiteConnection {
        let connection = try factory()
        all.withLock { $0.append(connection) }
        return connection
    }

    func closeAll() {
        for connection in all.withLock({ $0 }) { connection.close() }
    }
}
