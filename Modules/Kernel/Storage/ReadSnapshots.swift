import Foundation
import Synchronization

/// The results of expensive reads that many people ask for at once (a region's desk figures,
/// refreshed by every coordinator's dashboard), kept and shared while they are exact. One store
/// per database handle, so a result never crosses databases.
///
/// A kept result is served while nothing has been committed through this handle since it was
/// computed. Writes by another process (the CLI, another replica) are reported by the console's
/// live feed when the outbox shows them (`recordChange()`); without it, a kept result older than
/// `maxAge` is served once more while a fresh one is computed behind it, so such a write shows
/// within `maxAge` and the read's cost never lands on the person asking. Askers of the same key
/// who have seen the same changes share one computation; one who has seen a later change starts
/// its own, so no one is answered with figures older than a change they were told of. A page
/// fetched because of a change it was told of (`toldOfChangeAt`, the instant the live feed read
/// it) takes any result whose computation began after that instant, kept or running: however many
/// dashboards follow a busy region, it is counted once per feed read, not once per dashboard.
public final class ReadSnapshots: Sendable {
    public let maxAge: Duration

    struct Kept: @unchecked Sendable {
        // Only ever a value of the type its key's reader asks for (the key names the read).
        let value: any Sendable
        let changes: Int64
        let computedAt: ContinuousClock.Instant
        /// When the computation began, by the wall clock the live feed stamps changes with.
        let began: Date
    }

    struct Running: Sendable {
        let changes: Int64
        let began: Date
        let task: Task<Kept, any Error>
    }

    /// The instant of the change the current request was told of (see the type's comment).
    @TaskLocal public static var toldOfChangeAt: Date?

    private let kept = Mutex<[String: Kept]>([:])
    private let running = Mutex<[String: Running]>([:])
    private let changeCount = Atomic<Int64>(0)

    public init(maxAge: Duration = .seconds(5)) { self.maxAge = maxAge }

    /// How many changes this handle knows of: its own commits and those reported to it.
    public var changes: Int64 { changeCount.load(ordering: .acquiring) }
    /// A transaction committed through this handle, or a change made elsewhere became known.
    public func recordChange() { changeCount.add(1, ordering: .acquiringAndReleasing) }

    /// The result of `read` under `key` (which must name the read and everything it depends on,
    /// e.g. "incident-ops.workload BR-SP sensitive"), kept or computed now.
    public func value<V: Sendable>(_ key: String, _ read: @escaping @Sendable () async throws -> V) async throws -> V {
        let seen = changes
        let told = Self.toldOfChangeAt
        if let entry = kept.withLock({ $0[key] }), entry.changes != seen, let told, entry.began > told, let value = entry.value as? V {
            return value
        }
        if let entry = kept.withLock({ $0[key] }), entry.changes == seen, let value = entry.value as? V {
            if ContinuousClock.now - entry.computedAt >= maxAge {
                let refresh = start(key, seen: seen, told: nil, read)
                Task { _ = try? await finish(key, refresh) }
            }
            return value
        }
        let entry = try await finish(key, start(key, seen: seen, told: told, read))
        guard let value = entry.value as? V else { throw VigilError(.internal, "the kept read \(key) is not a \(V.self)") }
        return value
    }

    /// The computation of `key` for askers who have seen `seen` changes: the one running, or a new one.
    private func start<V: Sendable>(_ key: String, seen: Int64, told: Date?, _ read: @escaping @Sendable () async throws -> V)
        -> Task<Kept, any Error>
    {
        running.withLock { running -> Task<Kept, any Error> in
            if let existing = running[key], existing.changes == seen || told.map({ existing.began > $0 }) == true { return existing.task }
            let began = Date()
            let task = Task<Kept, any Error> {
                let started = ContinuousClock.now
                // `seen` was counted before the read began: a change during it leaves the result
                // marked older than that change, so the next asker computes again.
                return Kept(value: try await read(), changes: seen, computedAt: started, began: began)
            }
            running[key] = Running(changes: seen, began: began, task: task)
            return task
        }
    }

    /// Waits for a computation and keeps its result (unless a newer one is kept already).
    private func finish(_ key: String, _ task: Task<Kept, any Error>) async throws -> Kept {
        defer { running.withLock { if $0[key]?.task == task { $0[key] = nil } } }
        let entry = try await task.value
        kept.withLock { kept in
            if let current = kept[key], current.changes > entry.changes || (current.changes == entry.changes && current.computedAt > entry.computedAt) {
                return
            }
            kept[key] = entry
        }
        return entry
    }
}
