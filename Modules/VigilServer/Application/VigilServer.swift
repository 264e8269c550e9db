import Foundation
import Hummingbird
import JSONCoding
import Kernel
import Logging
import NIOCore
import ServiceLifecycle
import VigilStorage

/// The HTTP server over a runtime: one builder shared by `vigil serve` and the tests.
public enum VigilServer {
    public static let version = "0.1.0"

    /// Every route: health and metrics, the OpenAPI document, the platform API and each domain's.
    public static func buildRouter(_ runtime: VigilRuntime, extensions: [any ServerExtension] = []) -> Router<VigilRequestContext> {
        VigilMetrics.bootstrap()
        let router = Router(context: VigilRequestContext.self)
        // Outermost, so that every answer carries them, errors and 404s included.
        router.add(middleware: SecurityHeadersMiddleware())
        router.add(middleware: RequestIDMiddleware(ids: runtime.ids))
        router.add(middleware: MetricsMiddleware<VigilRequestContext>())
        router.add(middleware: ProblemMiddleware())
        var allowed = AllowedMethods()
        for route in fixedRoutes { allowed.add(route.method.rawValue, route.path) }
        let groups = mountedGroups(runtime)
        for group in groups {
            for endpoint in group.endpoints { allowed.add(endpoint.method.rawValue, group.prefix + endpoint.path) }
        }
        router.add(middleware: MethodNotAllowedMiddleware(allowed: allowed))
        for serverExtension in extensions { serverExtension.mount(on: router, runtime: runtime) }

        let mounter = EndpointMounter(runtime: runtime, maxBodyBytes: runtime.settings.maxBodyBytes)
        for group in groups {
            let domain = group.tag == "platform" ? DomainID.platform : DomainID(group.tag)
            for endpoint in group.endpoints {
                mounter.mount(endpoint, prefix: group.prefix, domain: domain, on: router)
            }
        }

        router.get("/healthz") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: #"{"status":"ok"}"#)))
        }
        router.get("/readyz") { _, _ in
            do {
                try await runtime.database.ping()
            } catch {
                throw VigilError(.unavailable, "the database is not reachable")
            }
            guard try await Migrator(database: runtime.database, plan: runtime.plan).isCurrent() else {
                throw VigilError(.unavailable, "the database schema is not current; run `vigil migrate`")
            }
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: #"{"status":"ready"}"#)))
        }
        router.get("/metrics") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"], body: .init(byteBuffer: ByteBuffer(string: VigilMetrics.render())))
        }
        let document = try? VigilJSON.encoder.encode(openAPIDocument(runtime))
        router.get("/openapi.json") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(data: document ?? Data())))
        }
        return router
    }

    static func mountedGroups(_ runtime: VigilRuntime) -> [OpenAPIDocument.MountedGroup] {
        [
            OpenAPIDocument.MountedGroup(
                prefix: "/api", tag: "platform", tagDescription: "Sign-in, identity, audit", endpoints: PlatformEndpoints(runtime: runtime).all())
        ]
            + runtime.modules.map { module in
                let type = type(of: module)
                return OpenAPIDocument.MountedGroup(prefix: "/api/\(type.id)", tag: type.id.rawValue, tagDescription: type.title, endpoints: module.endpoints())
            }
    }

    static let fixedRoutes: [OpenAPIDocument.FixedRoute] = [
        .init(method: .get, path: "/healthz", operationID: "healthz", summary: "Liveness: the process answers", contentType: "application/json"),
        .init(
            method: .get, path: "/readyz", operationID: "readyz", summary: "Readiness: the database answers and its schema is current",
            contentType: "application/json"),
        .init(method: .get, path: "/metrics", operationID: "metrics", summary: "Prometheus metrics", contentType: "text/plain"),
        .init(method: .get, path: "/openapi.json", operationID: "openapi", summary: "This document", contentType: "application/json"),
    ]

    public static func openAPIDocument(_ runtime: VigilRuntime) -> JSONValue {
        var document = OpenAPIDocument(groups: mountedGroups(runtime), fixed: fixedRoutes, version: version)
        return document.build()
    }

    /// The background services: outbox delivery, domain jobs, gauge refresh, housekeeping.
    public static func backgroundServices(_ runtime: VigilRuntime, extensions: [any ServerExtension] = []) -> [any Service] {
        let subscriptions = runtime.modules.flatMap { $0.subscriptions() } + runtime.settings.webhooks.map { WebhookSubscriber.subscription($0) }
        var policy = OutboxDispatcher.RetryPolicy()
        policy.maxAttempts = runtime.settings.outboxMaxAttempts
        let dispatcher = OutboxDispatcher(
            database: runtime.database, subscriptions: subscriptions, clock: runtime.clock, logger: runtime.logger, policy: policy)
        let jobs =
            runtime.modules.flatMap { module in module.jobs().map { (type(of: module).id, $0) } }
            + [(DomainID.platform, Housekeeping.job(runtime))]
        let gauges = runtime.modules.flatMap { module in module.gauges().map { (type(of: module).id, $0) } }
        return [
            OutboxService(
                dispatcher: dispatcher, signal: runtime.database.outboxSignal, pollInterval: .milliseconds(runtime.settings.outboxPollMilliseconds),
                logger: runtime.logger),
            JobService(jobs: jobs, logger: runtime.logger),
            GaugeRefresher(gauges: gauges, interval: .seconds(15), logger: runtime.logger),
        ] + extensions.flatMap { $0.services(runtime: runtime) }
    }

    /// The application `vigil serve` runs: the router on the configured address plus the
    /// background services, shut down together on SIGTERM/SIGINT after draining requests.
    public static func buildApplication(
        _ runtime: VigilRuntime,
        host: String? = nil,
        port: Int? = nil,
        extensions: [any ServerExtension] = [],
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        var logger = runtime.logger
        logger.logLevel = Logger.Level(rawValue: runtime.settings.logLevel) ?? .info
        return Application(
            router: buildRouter(runtime, extensions: extensions),
            configuration: .init(address: .hostname(host ?? runtime.settings.httpHost, port: port ?? runtime.settings.httpPort), serverName: "vigil"),
            services: backgroundServices(runtime, extensions: extensions),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? 0) },
            logger: logger
        )
    }
}
