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

    func contains(column: String) -> Bool { columns.positions[column] != nil }

    func decodeNil(column: String) throws -> Bool {
        guard let position = columns.positions[column] else { throw MissingColumn(column: column) }
        return values[position] == .null
    }

    func decode<D: Decodable>(column: String, as type: D.Type) throws -> D {
        guard let position = columns.positions[column] else { throw MissingColumn(column: column) }
        let value = values[position]
        // The common column types without the decoder's existential casts; the rest as SQLiteKit does.
        if let fast = DirectSQLiteRow.fastDecode(value, as: D.self) { return fast }
        return try DirectSQLiteRow.decoder.decode(D.self, from: value)
    }

    private static func fastDecode<D>(_ value: SQLiteData, as type: D.Type) -> D? {
        switch value {
        case .text(let text):
            if D.self == String.self { return text as? D }
            if D.self == String?.self { return Optional(text) as? D }
        case .integer(let number):
            if D.self == Int64.self { return Int64(number) as? D }
            if D.self == Int.self { return number as? D }
            if D.self == Int64?.self { return Optional(Int64(number)) as? D }
            if D.self == Int?.self { return Optional(number) as? D }
            if D.self == Bool.self { return (number != 0) as? D }
            if D.self == Double?.self { return Optional(Double(number)) as? D }
            if D.self == Double.self { return Double(number) as? D }
        case .float(let number):
            if D.self == Double.self { return number as? D }
            if D.self == Double?.self { return Optional(number) as? D }
        case .null:
            if D.self == String?.self { return String?.none as? D }
            if D.self == Int64?.self { return Int64?.none as? D }
            if D.self == Int?.self { return Int?.none as? D }
            if D.self == Double?.self { return Double?.none as? D }
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
    var dialect: any SQLDialect { SQLiteDialect() }
    var queryLogLevel: Logger.Level? { nil }
    private static let encoder = SQLiteDataEncoder()

    init(_ source: Source, logger: Logger) {
        self.source = source
        self.logger = logger
        self.eventLoop = MultiThreadedEventLoopGroup.singleton.any()
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> ()) async throws {
        try run(query, onRow)
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> ()) -> EventLoopFuture<Void> {
        eventLoop.makeCompletedFuture { try run(query, onRow) }
    }

    func withSession<R>(_ closure: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await closure(self)
    }

    private func run(_ query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> ()) throws {
        let (sql, binds) = serialize(query)
        let values = try binds.map { try DirectSQLDatabase.encoder.encode($0) }
        switch source {
        case .fixed(let connection):
            try connection.execute(sql, values) { onRow($0) }
        case .pool(let pool):
            try pool.withConnection { try $0.execute(sql, values) { onRow($0) } }
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
