import Foundation
import Kernel
import Synchronization

/// The browsers following changes: each listens to some domains within the regions its viewer
/// may see, and is told only that something it may know of changed, stamped with the instant the
/// feed read it — never what changed or how much. The page then asks for itself again through the ordinary, scoped page handler, so the
/// feed cannot show a record its viewer may not read.
final class LiveHub: Sendable {
    struct Listener: Sendable {
        let domains: Set<DomainID>
        let regions: RegionScope
        let continuation: AsyncStream<Int64>.Continuation
    }

    private let listeners = Mutex<[UUID: Listener]>([:])
    private let closed = Mutex(false)
    /// The newest outbox position the hub has seen: where a new listener starts.
    private let head = Mutex<Int64>(0)
    let capacity: Int

    init(capacity: Int) { self.capacity = capacity }

    var count: Int { listeners.withLock { $0.count } }
    var position: Int64 { head.withLock { $0 } }

    /// A stream of change instants (milliseconds since 1970) for one browser; nil when the hub is
    /// full or shutting down.
    func listen(domains: Set<DomainID>, regions: RegionScope) -> (id: UUID, positions: AsyncStream<Int64>)? {
        let (stream, continuation) = AsyncStream<Int64>.makeStream(bufferingPolicy: .bufferingNewest(8))
        let id = UUID()
        let added = listeners.withLock { listeners -> Bool in
            guard !closed.withLock({ $0 }), listeners.count < capacity else { return false }
            listeners[id] = Listener(domains: domains, regions: regions, continuation: continuation)
            return true
        }
        guard added else { return nil }
        continuation.onTermination = { [weak self] _ in self?.leave(id) }
        return (id, stream)
    }

    /// Ends one browser's stream (it left, or the server is stopping).
    func leave(_ id: UUID) { listeners.withLock { $0.removeValue(forKey: id) }?.continuation.finish() }

    /// Not an instant: the stream's cue to send a heartbeat and recheck the session.
    static let heartbeat: Int64 = 0

    func beat(_ id: UUID) { _ = listeners.withLock { $0[id] }?.continuation.yield(LiveHub.heartbeat) }

    /// Tells each listener that may know of one of these events that its page changed as of
    /// `readAt`, the instant the feed read them: everything committed before that instant is in
    /// the page the browser fetches next.
    func publish(_ events: [DomainEvent], readAt: Date) {
        guard let last = events.last else { return }
        head.withLock { $0 = max($0, last.sequence) }
        let instant = max(Int64(readAt.timeIntervalSince1970 * 1000), 1)
        let current = listeners.withLock { $0 }
        for listener in current.values where events.contains(where: { LiveHub.visible($0, to: listener) }) {
            listener.continuation.yield(instant)
        }
    }

    static func visible(_ event: DomainEvent, to listener: Listener) -> Bool {
        guard listener.domains.contains(event.domain) else { return false }
        guard let region = event.region else { return true }
        return listener.regions.contains(region)
    }

    /// Ends every stream (graceful shutdown), so that no open connection holds the server up.
    func close() {
        closed.withLock { $0 = true }
        let current = listeners.withLock { listeners in
            defer { listeners.removeAll() }
            return listeners
        }
        for listener in current.values { listener.continuation.finish() }
    }

    func start(at position: Int64) { head.withLock { $0 = max($0, position) } }
}
