import Foundation
import Kernel
import Logging
import ServiceLifecycle

/// Runs each domain job on its interval. A failing run is logged and retried at the next interval;
/// a run in progress completes on graceful shutdown.
struct JobService: Service {
    let jobs: [(domain: DomainID, job: BackgroundJob)]
    let logger: Logger

    func run() async throws {
        await withDiscardingTaskGroup { group in
            for (domain, job) in jobs {
                group.addTask {
                    while !Task.isShuttingDownGracefully && !Task.isCancelled {
                        do {
                            try await job.run()
                        } catch {
                            logger.error("job failed", metadata: ["job": "\(domain).\(job.name)", "error": "\(String(reflecting: error))"])
                        }
                        try? await cancelWhenGracefulShutdown { try await Task.sleep(for: job.interval) }
                    }
                }
            }
        }
    }
}
