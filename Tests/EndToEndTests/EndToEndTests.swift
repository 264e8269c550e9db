import Foundation
import HTTPTypes
import Hummingbird
import IncidentOps
import Kernel
import NIOCore
import ServiceLifecycle
import Synchronization
import Testing
import VigilServer
import VigilStorage
import VigilTesting

/// A domain of the test only: it listens to the incident desk through the outbox, as TrainingOps
/// or SafetyLiaison would, without importing it.
struct DeskWatcher: DomainModule {
    static let id: DomainID = "desk-watcher"
    static let title = "Listens to the incident desk"
    static var dependencies: [DomainDependency] { [.optional("incident-ops")] }
    static let seen = Mutex<[String]>([])

    init(context: DomainContext) {}

    func subscriptions() -> [EventSubscription] {
        [
            EventSubscription(name: "desk-watcher.cases", eventTypes: ["incident-ops.case.opened"]) { event in
                guard case .object(let payload) = event.payload, case .string(let reference)? = payload["reference"] else { return }
                DeskWatcher.seen.withLock { $0.append(reference) }
            }
        ]
    }
}

/// A webhook receiver on loopback that refuses its first delivery, to exercise the retry.
final class WebhookReceiver: Sendable {
    struct Delivery: Sendable { let event: String; let signature: String?; let body: String }

    final class Log: Sendable {
        let deliveries = Mutex<[Delivery]>([])
        let refusalsLeft = Mutex(1)
    }

    let log = Log()
    let url: String
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    init() async throws {
        let router = Router()
        let log = self.log
        router.post("/hook") { request, _ -> HTTPResponse.Status in
            let body = try await request.body.collect(upTo: 1 << 20)
            let refuse = log.refusalsLeft.withLock { left in
                defer { left -= 1 }
                return left > 0
            }
            if refuse { return .serviceUnavailable }
            let delivery = Delivery(
                event: request.headers[HTTPField.Name("X-Vigil-Event")!] ?? "", signature: request.headers[HTTPField.Name("X-Vigil-Signature")!],
                body: String(buffer: body))
            log.deliveries.withLock { $0.append(delivery) }
            return .noContent
        }
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)), onServerRunning: { continuation.yield($0.localAddress?.port ?? 0) })
        let group = ServiceGroup(configuration: .init(services: [app], logger: TestDatabase.quietLogger))
        self.group = group
        task = Task { try await group.run() }
        var iterator = ports.makeAsyncIterator()
        url = "http://127.0.0.1:\(await iterator.next() ?? 0)/hook"
    }

    var deliveries: [Delivery] { log.deliveries.withLock { $0 } }

    func stop() async {
        await group.triggerGracefulShutdown()
        _ = try? await task.value
    }
}

@Suite(.serialized) struct EndToEndTests {
    func eventually(timeout: Duration = .seconds(20), _ condition: () async throws -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    @Test(arguments: TestEngine.available)
    func intakeReachesSubscribersAndSignedWebhooksAtLeastOnce(_ engine: TestEngine) async throws {
        let receiver = try await WebhookReceiver()
        let test = try await TestRuntime.make(
            engine, domains: [IncidentOpsModule.self, DeskWatcher.self],
            settings: [
                "VIGIL_OUTBOX_WEBHOOKS": "audit-sink",
                "VIGIL_OUTBOX_WEBHOOK_AUDIT_SINK_URL": receiver.url,
                "VIGIL_OUTBOX_WEBHOOK_AUDIT_SINK_EVENTS": "incident-ops.case.opened",
                "VIGIL_OUTBOX_WEBHOOK_AUDIT_SINK_SECRET": "s3cret",
            ])
        let server = try await LiveServer.start(test.runtime)
        let admin = try await test.user("admin@example.com", roles: [.admin], regions: .all)
        let client = TestClient(baseURL: server.baseURL, token: admin.token)
        var references: [String] = []
        for n in 1...3 {
            let response = try await client.post(
                "/api/incident-ops/cases",
                #"{"region":"BR-SP","businessLine":"business-units","category":"property-damage","severity":"S4","description":"Store window broken \#(n)"}"#)
            #expect(response.status == 201)
            if case .object(let body)? = response.json, case .string(let reference)? = body["reference"] { references.append(reference) }
        }
        #expect(try await eventually { DeskWatcher.seen.withLock { Set(references).isSubset(of: Set($0)) } })
        // The receiver refused the first delivery; the dispatcher retries once its backoff has passed
        // on the test's clock.
        #expect(
            try await eventually {
                test.clock.advance(by: 2)
                return receiver.deliveries.count >= 3
            })
        let deliveries = receiver.deliveries
        #expect(deliveries.allSatisfy { $0.event == "incident-ops.case.opened" && $0.signature?.hasPrefix("sha256=") == true })
        #expect(Set(deliveries.compactMap { delivery in references.first { delivery.body.contains($0) } }) == Set(references))
        try await server.stop()
        await receiver.stop()
        await test.close()
    }

    @Test func consoleSignInWorksWithTheSessionCookieUntilSignOut() async throws {
        let test = try await TestRuntime.make(domains: [IncidentOpsModule.self])
        let server = try await LiveServer.start(test.runtime)
        _ = try await test.runtime.users.create(
            .init(
                email: "coord@example.com", name: "Coordinator", password: "night shift coordinator", roles: [.shiftCoordinator],
                regions: .only([RegionCode("BR-SP")!])), by: test.system())
        let anonymous = TestClient(baseURL: server.baseURL, token: nil)
        let wrong = try await anonymous.post("/api/session", #"{"email":"coord@example.com","password":"guess"}"#)
        #expect(wrong.status == 401)
        let signIn = try await anonymous.post("/api/session", #"{"email":"coord@example.com","password":"night shift coordinator"}"#)
        #expect(signIn.status == 201)
        let cookie = try #require(signIn[header: "set-cookie"])
        #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"))
        let sessionCookie = String(cookie.split(separator: ";")[0])
        let me = try await anonymous.get("/api/me", headers: ["Cookie": sessionCookie])
        #expect(me.status == 200 && me.text.contains("coord@example.com"))
        let signOut = try await anonymous.request("DELETE", "/api/session", headers: ["Cookie": sessionCookie])
        #expect(signOut.status == 204)
        #expect(try await anonymous.get("/api/me", headers: ["Cookie": sessionCookie]).status == 401)
        try await server.stop()
        await test.close()
    }

    @Test func gracefulShutdownFinishesRequestsInFlightAndLosesNothing() async throws {
        let test = try await TestRuntime.make(domains: [IncidentOpsModule.self])
        let server = try await LiveServer.start(test.runtime)
        let admin = try await test.user("admin@example.com", roles: [.admin], regions: .all)
        // A request the closing server never read is the client's to retry: fail it fast.
        let client = TestClient(baseURL: server.baseURL, token: admin.token, timeoutSeconds: 3)
        let outcomes = await withTaskGroup(of: Int.self) { group in
            for n in 0..<60 {
                group.addTask {
                    (try? await client.post(
                        "/api/incident-ops/cases",
                        #"{"region":"BR-SP","businessLine":"drivers","category":"other","severity":"S4","description":"burst \#(n)"}"#
                    ).status) ?? 0
                }
            }
            group.addTask {
                try? await Task.sleep(for: .milliseconds(30))
                try? await server.stop()
                return -1
            }
            return await group.reduce(into: [Int]()) { $0.append($1) }
        }
        let created = outcomes.filter { $0 == 201 }.count
        // Every request either completed (201) or was refused before it began; none half-wrote.
        #expect(outcomes.allSatisfy { [201, 0, -1].contains($0) })
        #expect(try await test.count("incident_cases") == created)
        #expect(try await test.count("vigil_outbox") == created)
        #expect(try await AuditLog(database: test.runtime.database).verify().intact)
        await test.close()
    }

    @Test func auditTimelineOverTheAPIShowsOnlyVisibleRegions() async throws {
        let test = try await TestRuntime.make(domains: [IncidentOpsModule.self])
        let server = try await LiveServer.start(test.runtime)
        let admin = try await test.user("admin@example.com", roles: [.admin], regions: .all)
        let auditor = try await test.user("auditor@example.com", roles: [.auditor], regions: .all)
        let created = try await TestClient(baseURL: server.baseURL, token: admin.token).post(
            "/api/incident-ops/cases", #"{"region":"MX-CMX","businessLine":"clients","category":"fraud","severity":"S3","description":"Card fraud"}"#)
        guard case .object(let body)? = created.json, case .string(let id)? = body["id"] else { Issue.record("no case"); return }
        let timeline = try await TestClient(baseURL: server.baseURL, token: auditor.token).get("/api/audit?entity=incident-ops.case/\(id)")
        #expect(timeline.status == 200)
        #expect(timeline.text.contains("incident-ops.case.open") && timeline.text.contains("user:admin@example.com"))
        try await server.stop()
        await test.close()
    }
}
