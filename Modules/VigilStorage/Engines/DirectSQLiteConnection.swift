import Foundation
import Kernel
import NIOCore
import SQLiteNIO
import Synchronization
import VaporCSQLite
import VigilSQLiteShim

/// One SQLite connection driven directly through the C API, on the calling thread, with its
/// prepared statements cached.
///
/// Why not SQLiteNIO's connection: it hands every statement to a thread pool and every row back to
/// an event loop, and a case intake is six statements inside the single writer's turn; the hops,
/// not SQLite, capped intake near 800 per second on two cores. Here a statement costs what SQLite
/// costs (tens of microseconds). It is the same SQLite library SQLiteNIO links (VaporCSQLite), so
/// file locking stays coherent within the process. The price: a statement blocks its thread while
/// it runs, so long scans belong on a background path, not on request handlers.
final class DirectSQLiteConnection: Sendable {
    private struct State {
        var handle: OpaquePointer?
        var statements: [String: CachedStatement] = [:]
        var useCounter: UInt64 = 0
    }

    private struct CachedStatement {
        let pointer: OpaquePointer
        let columns: ColumnIndex
        var lastUse: UInt64
    }

    private static let cacheLimit = 256
    private let state: Mutex<State>
    let path: String

    init(path: String, busyTimeoutMilliseconds: Int32) throws {
        var handle: OpaquePointer?
        let flags = SQLITE_OPEN_CREATE | SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX | SQLITE_OPEN_URI | SQLITE_OPEN_EXRESCODE
        let status = sqlite_nio_sqlite3_open_v2(path, &handle, flags, nil)
        guard status == SQLITE_OK, let handle else {
            let message = handle.map { String(cString: sqlite_nio_sqlite3_errmsg($0)) } ?? "status \(status)"
            if let handle { sqlite_nio_sqlite3_close_v2(handle) }
            throw DirectSQLiteError(code: status, message: "cannot open \(path): \(message)")
        }
        sqlite_nio_sqlite3_busy_timeout(handle, busyTimeoutMilliseconds)
        // Stable plans: Vigil's statements have fixed shapes, and re-planning them for each new
        // bound value (each new "now", each page cursor) cost more than any plan it found.
        guard vigil_sqlite_enable_qpsg(UnsafeMutableRawPointer(handle)) == SQLITE_OK else {
            sqlite_nio_sqlite3_close_v2(handle)
            throw DirectSQLiteError(code: SQLITE_ERROR, message: "cannot enable stable query plans on \(path)")
        }
        self.path = path
        self.state = Mutex(State(handle: handle))
    }

    /// Runs one statement with its binds, handing each result row to `onRow` before the next step.
    func execute(_ sql: String, _ binds: [SQLiteData], onRow: (DirectSQLiteRow) throws -> Void) throws {
        try state.withLock { state in
            guard let handle = state.handle else { throw DirectSQLiteError(code: SQLITE_MISUSE, message: "the connection is closed") }
            let statement = try Self.statement(for: sql, in: &state, handle: handle)
            defer {
                // Reset at once: a statement left mid-way would hold its read snapshot open and keep
                // the WAL from being checkpointed.
                sqlite_nio_sqlite3_reset(statement.pointer)
                sqlite_nio_sqlite3_clear_bindings(statement.pointer)
            }
            try Self.bind(binds, to: statement.pointer, handle: handle)
            while true {
                let status = sqlite_nio_sqlite3_step(statement.pointer)
                if status == SQLITE_DONE { return }
                guard status == SQLITE_ROW else { throw DirectSQLiteError(code: status, message: String(cString: sqlite_nio_sqlite3_errmsg(handle))) }
                var values: [SQLiteData] = []
                values.reserveCapacity(statement.columns.names.count)
                for index in 0..<Int32(statement.columns.names.count) {
                    values.append(Self.value(of: statement.pointer, at: index))
                }
                try onRow(DirectSQLiteRow(columns: statement.columns, values: values))
            }
        }
    }

    func close() {
        state.withLock { state in
            for statement in state.statements.values { sqlite_nio_sqlite3_finalize(statement.pointer) }
            state.statements.removeAll()
            if let handle = state.handle { sqlite_nio_sqlite3_close_v2(handle) }
            state.handle = nil
        }
    }

    private static func statement(for sql: String, in state: inout State, handle: OpaquePointer) throws -> CachedStatement {
        state.useCounter += 1
        if var cached = state.statements[sql] {
            cached.lastUse = state.useCounter
            state.statements[sql] = cached
            return cached
        }
        var pointer: OpaquePointer?
        let status = sqlite_nio_sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &pointer, nil)
        guard status == SQLITE_OK, let pointer else {
            throw DirectSQLiteError(code: status, message: String(cString: sqlite_nio_sqlite3_errmsg(handle)))
        }
        let count = sqlite_nio_sqlite3_column_count(pointer)
        let names = (0..<count).map { String(cString: sqlite_nio_sqlite3_column_name(pointer, $0)) }
        let statement = CachedStatement(pointer: pointer, columns: ColumnIndex(names: names), lastUse: state.useCounter)
        if state.statements.count >= cacheLimit, let oldest = state.statements.min(by: { $0.value.lastUse < $1.value.lastUse }) {
            sqlite_nio_sqlite3_finalize(oldest.value.pointer)
            state.statements[oldest.key] = nil
        }
        state.statements[sql] = statement
        return statement
    }

    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    private static func bind(_ binds: [SQLiteData], to statement: OpaquePointer, handle: OpaquePointer) throws {
        for (offset, value) in binds.enumerated() {
            let index = Int32(offset + 1)
            let status: Int32 =
                switch value {
                case .integer(let number): sqlite_nio_sqlite3_bind_int64(statement, index, Int64(number))
                case .float(let number): sqlite_nio_sqlite3_bind_double(statement, index, number)
                case .text(let text): sqlite_nio_sqlite3_bind_text64(statement, index, text, UInt64(text.utf8.count), transient, UInt8(SQLITE_UTF8))
                case .blob(let buffer):
                    buffer.withUnsafeReadableBytes { sqlite_nio_sqlite3_bind_blob64(statement, index, $0.baseAddress, UInt64($0.count), transient) }
                case .null: sqlite_nio_sqlite3_bind_null(statement, index)
                }
            guard status == SQLITE_OK else { throw DirectSQLiteError(code: status, message: String(cString: sqlite_nio_sqlite3_errmsg(handle))) }
        }
    }

    private static func value(of statement: OpaquePointer, at index: Int32) -> SQLiteData {
        switch sqlite_nio_sqlite3_column_type(statement, index) {
        case SQLITE_INTEGER:
            return .integer(Int(sqlite_nio_sqlite3_column_int64(statement, index)))
        case SQLITE_FLOAT:
            return .float(sqlite_nio_sqlite3_column_double(statement, index))
        case SQLITE_TEXT:
            guard let text = sqlite_nio_sqlite3_column_text(statement, index) else { return .null }
            let length = Int(sqlite_nio_sqlite3_column_bytes(statement, index))
            return .text(String(decoding: UnsafeBufferPointer(start: text, count: length), as: UTF8.self))
        case SQLITE_BLOB:
            let length = Int(sqlite_nio_sqlite3_column_bytes(statement, index))
            var buffer = ByteBufferAllocator().buffer(capacity: length)
            if let bytes = sqlite_nio_sqlite3_column_blob(statement, index) {
                buffer.writeBytes(UnsafeRawBufferPointer(start: bytes, count: length))
            }
            return .blob(buffer)
        default:
            return .null
        }
    }
}

/// A SQLite failure with its (extended) result code.
public struct DirectSQLiteError: Error, CustomStringConvertible {
    public let code: Int32
    public let message: String

    /// Constraint violations (unique, foreign key, check): the caller's data, not the engine, is at fault.
    public var isConstraintViolation: Bool { code & 0xFF == SQLITE_CONSTRAINT }

    public var description: String { "SQLite error \(code): \(message)" }
}

/// The columns of a prepared statement, shared by all its rows.
final class ColumnIndex: Sendable {
    let names: [String]
    let positions: [String: Int]
    /// Where the last look-up found its column. Rows are read column after column in the order the
    /// query selected them, so the next look-up is almost always the one after: a comparison of
    /// two short strings instead of hashing the name (which was 7% of a 50-row page's CPU). Only a
    /// hint: a wrong guess, from another thread reading another row, falls back to the dictionary.
    private let hint = Atomic<Int>(-1)

    init(names: [String]) {
        self.names = names
        self.positions = Dictionary(names.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
    }

    func position(of column: String) -> Int? {
        let guess = hint.load(ordering: .relaxed) + 1
        if guess < names.count, names[guess] == column {
            hint.store(guess, ordering: .relaxed)
            return guess
        }
        guard let found = positions[column] else { return nil }
        hint.store(found, ordering: .relaxed)
        return found
    }
}
