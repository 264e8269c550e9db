import Foundation
import Kernel
import Logging
import Prometheus
import ServiceLifecycle

/// Reads the domains' gauges in the background and publishes them, so that a scrape of /metrics
/// never waits on a query.
struct GaugeRefresher: Service {
    let gauges: [(domain: DomainID, gauge: DomainGauge)]
    let interval: Duration
    let logger: Logger

    func refreshOnce() async {
        for (domain, gauge) in gauges {
            do {
                let descriptor = MetricNameDescriptor(
                    namespace: "vigil", subsystem: VigilMetrics.sanitize(domain.rawValue),
                    metricName: VigilMetrics.sanitize(gauge.name), unitName: "", helpText: gauge.help)
                for sample in try await gauge.read() {
                    VigilMetrics.registry.makeGauge(descriptor: descriptor, labels: sample.labels.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
                        .set(sample.value)
                }
            } catch {
                logger.warning("gauge refresh failed", metadata: ["gauge": "\(domain).\(gauge.name)", "error": "\(error)"])
            }
        }
    }

    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            await refreshOnce()
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }
}
