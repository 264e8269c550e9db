import Foundation
import Kernel
import Logging
import ServiceLifecycle
import VigilStorage

/// Follows the outbox and tells the hub what it finds. It reads the table itself (rather than
/// subscribing to the dispatcher) because it needs no delivery position of its own: a browser
/// that missed something refreshes on reconnect. Polling also sees what other processes (the
/// CLI, another replica) wrote. On graceful shutdown it closes every stream.
struct LiveFeedService: Service {
    let hub: LiveHub
    let outbox: OutboxStore
    let snapshots: ReadSnapshots
    let interval: Duration
    let logger: Logger

    func run() async throws {
        var position = (try? await outbox.latestSequence()) ?? 0
        hub.start(at: position)
        await withGracefulShutdownHandler {
            while !Task.isShuttingDownGracefully && !Task.isCancelled {
                do {
                    let readAt = Date()
                    let events = try await outbox.events(after: position, limit: 1000)
                    if let last = events.last {
                        position = last.sequence
                        // Some may come from another process: reads kept in this one are out of date.
                        snapshots.recordChange()
                        hub.publish(events, readAt: readAt)
                        if events.count == 1000 { continue }
                    }
                } catch {
                    logger.warning("the console's live feed could not read the outbox", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: interval)
            }
        } onGracefulShutdown: {
            hub.close()
        }
        hub.close()
    }
}
