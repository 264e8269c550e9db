import Foundation
import Metrics
import Prometheus
import Synchronization

/// The process-wide metrics system: swift-metrics backed by a Prometheus registry, bootstrapped
/// once however many servers a test process starts.
public enum VigilMetrics {
    public static let registry = PrometheusCollectorRegistry()
    private static let bootstrapped = Mutex(false)

    public static func bootstrap() {
        let first = bootstrapped.withLock { done -> Bool in
            defer { done = true }
            return !done
        }
        guard first else { return }
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25),
            .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5),
        ]
        factory.nameAndLabelSanitizer = { name, labels in
            let renamed =
                switch name {
                case "hb.requests": "http_requests_total"
                case "hb.request.errors": "http_request_errors_total"
                case "http.server.request.duration": "http_server_request_duration_seconds"
                default: name
                }
            return (sanitize(renamed), labels.map { (sanitize($0.0), $0.1) })
        }
        MetricsSystem.bootstrap(factory)
    }

    static func sanitize(_ name: String) -> String {
        String(name.map { $0.isLetter || $0.isNumber || $0 == "_" ? $0 : "_" })
    }

    public static func render() -> String { registry.emitToString() }
}
