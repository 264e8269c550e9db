import Foundation
import Kernel
import Synchronization

/// Short-lived caches of the desk's set-up (queues, SLA and escalation policies, runbooks,
/// taxonomy), read on every intake inside the single writer's turn, where each query costs
/// throughput. Entries live `ttl` seconds and are dropped at once when this process changes them;
/// a change made by another process (the CLI beside the server) shows within `ttl`.
final class LookupCache<Value: Sendable>: Sendable {
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
    let ttl: TimeInterval

    init(ttl: TimeInterval) { self.ttl = ttl }

    /// The cached value for `key` in `database`, or `load()`'s. An entry only answers for the
    /// database object that loaded it: a later database allocated at the same address (tests open
    /// many) finds the weak reference gone and loads afresh.
    func value(_ key: String, database: any VigilDatabase, now: Date, load: () async throws -> Value) async throws -> Value {
        let scoped = Key(database: ObjectIdentifier(database as AnyObject), name: key)
        if let entry = entries.withLock({ $0[scoped] }), entry.owner.object === database as AnyObject,
           now >= entry.loadedAt, now.timeIntervalSince(entry.loadedAt) < ttl {
            return entry.value
        }
        let value = try await load()
        entries.withLock { entries in
            if entries.count > 10_000 { entries.removeAll() }
            entries[scoped] = Entry(owner: WeakDatabase(database as AnyObject), loadedAt: now, value: value)
        }
        return value
    }

    func invalidateAll() { entries.withLock { $0.removeAll() } }
}

enum DeskCaches {
    static let ttl: TimeInterval = 10
    static let queues = LookupCache<[CaseQueue]>(ttl: ttl)
    static let slaPolicies = LookupCache<SLAPolicy>(ttl: ttl)
    static let escalationPolicies = LookupCache<EscalationPolicy>(ttl: ttl)
    static let sops = LookupCache<SOP?>(ttl: ttl)
    static let taxonomy = LookupCache<[String]>(ttl: ttl)

    static func key(_ parts: String...) -> String { parts.joined(separator: "|") }
}

/// Weak references are atomic in Swift, so reading `object` from any thread is safe.
final class WeakDatabase: @unchecked Sendable {
    weak var object: AnyObject?
    init(_ object: AnyObject) { self.object = object }
}
