import Foundation
import Kernel
import Logging
import ServiceLifecycle
import VigilStorage

/// Runs the outbox dispatcher: woken by commits in this process, polling for events other
/// processes (the CLI) wrote. On graceful shutdown it finishes the batch in flight, then stops.
struct OutboxService: Service {
    let dispatcher: OutboxDispatcher
    let signal: OutboxSignal
    let pollInterval: Duration
    let logger: Logger

    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                // Not cancelled on shutdown: the batch in flight completes and its position is saved.
                let delivered = try await dispatcher.deliverPending()
                if delivered > 0 { continue }
            } catch {
                logger.error("outbox pass failed", metadata: ["error": "\(String(reflecting: error))"])
            }
            await withGracefulShutdownHandler {
                await signal.wait(timeout: pollInterval)
            } onGracefulShutdown: {
                signal.notify()
            }
        }
    }
}
