import Foundation
import Synchronization

/// The imports running in this process and how far each has got, for the console's progress
/// page. Only progress lives here; the outcome is the import's record in the database, which
/// any replica reads. An entry is kept an hour after it was last touched, then dropped.
public final class AssetImportBoard: Sendable {
    public struct Entry: Sendable {
        /// Who sent the file: the progress, like the record, is theirs and all-region people's.
        public let actor: String
        public let totalBytes: Int
        public var bytesRead = 0
        public var rows = 0
        public var rejected = 0
        public var finished = false
        /// Why it stopped before its end (a file without the columns, a database error).
        public var failure: String?
        var touched: Date
    }

    struct State {
        var entries: [String: Entry] = [:]
        /// The import each form key started: a form sent twice follows the first import.
        var keys: [String: String] = [:]
    }

    public static let shared = AssetImportBoard()
    private let state = Mutex(State())
    static let keep: TimeInterval = 3600

    /// Registers an import about to start and returns `id`; when `key` already started an import
    /// still on the board, that import's id instead, and the caller starts nothing.
    public func start(_ id: String, actor: String, totalBytes: Int, key: String?) -> String {
        state.withLock { state in
            let now = Date()
            state.entries = state.entries.filter { now.timeIntervalSince($0.value.touched) < Self.keep }
            state.keys = state.keys.filter { state.entries[$0.value] != nil }
            if let key, let earlier = state.keys[key] { return earlier }
            state.entries[id] = Entry(actor: actor, totalBytes: totalBytes, touched: now)
            if let key { state.keys[key] = id }
            return id
        }
    }

    public func update(_ id: String, _ progress: AssetImportProgress) {
        state.withLock { state in
            state.entries[id]?.bytesRead = progress.bytesRead
            state.entries[id]?.rows = progress.rows
            state.entries[id]?.rejected = progress.rejected
            state.entries[id]?.touched = Date()
        }
    }

    public func finish(_ id: String, failure: String? = nil) {
        state.withLock { state in
            state.entries[id]?.finished = true
            state.entries[id]?.failure = failure
            state.entries[id]?.touched = Date()
        }
    }

    public func entry(_ id: String) -> Entry? { state.withLock { $0.entries[id] } }
}
