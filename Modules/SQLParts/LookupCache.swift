import Foundation
import Kernel
import Synchronization

/// Short-lived caches of small set-up tables that hot paths read on every request or intake (an
/// incident desk's queues and policies, the IT desk's site and model names). Entries live `ttl`
/// seconds and are dropped at once when this process changes them; a change made by another
/// process (the CLI beside the server) shows within `ttl`.
public final class LookupCache<Value: Sendable>: Sendable {
    private struct Entry: Sendable {
        let owner: WeakDatabase
        let loadedAt: Date
        let value: Value
    }
    /// Scoped to one database object, so tests and processes with several never mix.
    private struct Key: Hashable {
        let database: ObjectIdentifier
        let name: String
    }
    private let entries = Mutex<[Key: Entry]>([:])
    public let ttl: TimeInterval

    public init(ttl: TimeInterval) { self.ttl = ttl }

    /// The cached value for `key` in `database`, or `load()`'s. An entry only answers for the
    /// database object that loaded it: a later database allocated at the same address (tests open
    /// many) finds the weak reference gone and loads afresh.
    public func value(_ key: String, database: any VigilDatabase, now: Date, load: () async throws -> Value) async throws -> Value {
        let scoped = Key(database: ObjectIdentifier(database as AnyObject), name: key)
        if let entry = entries.withLock({ $0[scoped] }), entry.owner.object === database as AnyObject,
            now >= entry.loadedAt, now.timeIntervalSince(entry.loadedAt) < ttl
        {
            return entry.value
        }
        let value = try await load()
        entries.withLock { entries in
            if entries.count > 10_000 { entries.removeAll() }
            entries[scoped] = Entry(owner: WeakDatabase(database as AnyObject), loadedAt: now, value: value)
        }
        return value
    }

    public func invalidateAll() { entries.withLock { $0.removeAll() } }
}

/// Weak references are atomic in Swift, so reading `object` from any thread is safe.
final class WeakDatabase: @unchecked Sendable {
    weak var object: AnyObject?
    init(_ object: AnyObject) { self.object = object }
}
