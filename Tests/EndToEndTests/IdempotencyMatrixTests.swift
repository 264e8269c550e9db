import Foundation
import IncidentOps
import ITServiceDesk
import JSONCoding
import Kernel
import RiderCompliance
import SafetyLiaison
import SQLKit
import Testing
import TrainingOps
import VigilServer
import VigilStorage
import VigilTesting

/// Issue 9, "Written twice": every endpoint that declares an Idempotency-Key in /openapi.json is
/// held to it, found from the document rather than listed by hand. A retry with the same key and
/// body gets the first answer and writes nothing; the same key with another body is refused; eight
/// twins sent at once write one record. An idempotent endpoint without a fixture here fails the
/// test, so a new one cannot go untested.
@Suite(.serialized) struct IdempotencyMatrixTests {
    static let domains: [any DomainModule.Type] = [
        IncidentOpsModule.self, RiderComplianceModule.self, TrainingOpsModule.self, ITServiceDeskModule.self, SafetyLiaisonModule.self,
    ]

    @Test(arguments: TestEngine.available)
    func everyIdempotentEndpointWritesOncePerKey(_ engine: TestEngine) async throws {
        let test = try await TestRuntime.make(engine, domains: Self.domains)
        let server = try await LiveServer.start(test.runtime)
        do {
            try await run(test, server)
        } catch {
            try? await server.stop()
            await test.close()
            throw error
        }
        try? await server.stop()
        await test.close()
    }

    private func run(_ test: TestRuntime, _ server: LiveServer) async throws {
        let operations = IdempotentOperation.declared(in: VigilServer.openAPIDocument(test.runtime))
        // The document and the registry agree on which endpoints declare it.
        let declared = test.runtime.modules.flatMap { module in
            module.endpoints().filter(\.idempotent).map { "\($0.method.rawValue) /api/\(type(of: module).id)\($0.path)" }
        }
        #expect(Set(operations.map(\.route)) == Set(declared))
        #expect(operations.count >= 17, "the document lists \(operations.count) idempotent operations")

        let desk = try await MatrixDesk.prepare(test, server)
        let fixtures = MatrixDesk.fixtures
        for operation in operations.sorted(by: { $0.operationID < $1.operationID }) {
            guard let fixture = fixtures[operation.operationID] else {
                Issue.record("\(operation.route) (\(operation.operationID)) declares Idempotency-Key but has no fixture in IdempotencyMatrixTests: add one")
                continue
            }
            try await check(operation, fixture, desk)
        }
        for name in Set(fixtures.keys).subtracting(operations.map(\.operationID)) {
            Issue.record("fixture \(name) names no idempotent operation: remove it")
        }
    }

    private func check(_ operation: IdempotentOperation, _ fixture: @escaping MatrixDesk.Fixture, _ desk: MatrixDesk) async throws {
        let op = operation.operationID
        let first = fixture(desk, 1)
        #expect(operation.matches(first.path), "\(op): the fixture's path \(first.path) is not \(operation.path)")
        let key = "matrix-\(op)-1"

        // Same key, same body: the first answer again, marked as a replay, and no new row.
        let before = try await desk.rowCounts()
        let original = try await desk.send(operation.method, first, key: key)
        let afterFirst = try await desk.rowCounts()
        let retry = try await desk.send(operation.method, first, key: key)
        let afterRetry = try await desk.rowCounts()
        #expect((200..<300).contains(original.status), "\(op): the fixture's request fails: \(original.status) \(original.text)")
        #expect(original[header: "Idempotent-Replayed"] == nil, "\(op)")
        #expect(retry.status == original.status && retry.body == original.body, "\(op): the retry answered \(retry.status) \(retry.text)")
        #expect(retry[header: "Idempotent-Replayed"] == "true", "\(op)")
        #expect(retry[header: "ETag"] == original[header: "ETag"] && retry[header: "Location"] == original[header: "Location"], "\(op)")
        let written = MatrixDesk.delta(before, afterFirst)
        #expect(written.keys.contains { !$0.hasPrefix("vigil_") }, "\(op): the first request wrote no domain row: \(written)")
        #expect(afterRetry == afterFirst, "\(op): the retry wrote \(MatrixDesk.delta(afterFirst, afterRetry))")

        // Same key, another body: refused, nothing written.
        let reused = try await desk.send(operation.method, fixture(desk, 2), key: key)
        #expect(reused.status == 422 && problemType(reused) == "https://vigil.dev/problems/idempotency-key-reused", "\(op): \(reused.status) \(reused.text)")
        #expect(try await desk.rowCounts() == afterRetry, "\(op): the reused key wrote something")

        // Eight twins at once with a fresh key: one answer for all, and the rows of one request.
        // One request is measured again first, with its own key: the very first may write more
        // (a year's first reference starts its sequence, a case's first note stops a clock).
        let single = try await desk.send(operation.method, fixture(desk, 2), key: "matrix-\(op)-2")
        let afterSingle = try await desk.rowCounts()
        let one = MatrixDesk.delta(afterRetry, afterSingle)
        #expect((200..<300).contains(single.status), "\(op): \(single.status) \(single.text)")
        let twin = fixture(desk, 3)
        let beforeTwins = afterSingle
        let answers = try await withThrowingTaskGroup(of: TestResponse.self) { group in
            for _ in 0..<8 { group.addTask { try await desk.send(operation.method, twin, key: "matrix-\(op)-twins") } }
            return try await group.reduce(into: [TestResponse]()) { $0.append($1) }
        }
        let afterTwins = try await desk.rowCounts()
        #expect(Set(answers.map(\.status)).count == 1 && (200..<300).contains(answers[0].status), "\(op): twins answered \(answers.map(\.status))")
        #expect(Set(answers.map(\.body)).count == 1, "\(op): twins got different bodies")
        #expect(
            answers.filter { $0[header: "Idempotent-Replayed"] == nil }.count == 1,
            "\(op): \(answers.filter { $0[header: "Idempotent-Replayed"] == nil }.count) twins claim to be the first")
        #expect(MatrixDesk.delta(beforeTwins, afterTwins) == one, "\(op): eight twins wrote \(MatrixDesk.delta(beforeTwins, afterTwins)), one request \(one)")
    }
}

/// One operation of /openapi.json with an Idempotency-Key header parameter.
private struct IdempotentOperation {
    let method: String
    let path: String
    let operationID: String

    var route: String { "\(method) \(path)" }

    static func declared(in document: JSONValue) -> [IdempotentOperation] {
        guard case .object(let root) = document, case .object(let paths)? = root["paths"] else { return [] }
        var found: [IdempotentOperation] = []
        for (path, item) in paths {
            guard case .object(let methods) = item else { continue }
            for (method, operation) in methods {
                guard case .object(let fields) = operation, case .string(let id)? = fields["operationId"], case .array(let parameters)? = fields["parameters"]
                else { continue }
                let takesKey = parameters.contains { parameter in
                    guard case .object(let p) = parameter else { return false }
                    return p["name"] == .string("Idempotency-Key") && p["in"] == .string("header")
                }
                if takesKey { found.append(IdempotentOperation(method: method.uppercased(), path: path, operationID: id)) }
            }
        }
        return found
    }

    /// Whether a concrete path fills this operation's template (`/cases/{id}/notes`).
    func matches(_ concrete: String) -> Bool {
        let template = path.split(separator: "/")
        let parts = concrete.split(separator: "/")
        guard template.count == parts.count else { return false }
        return zip(template, parts).allSatisfy { $0.hasPrefix("{") || $0 == $1 }
    }
}

/// The records the idempotent endpoints need (a site, a cost center, a model, a case, people),
/// made once, and for each endpoint its n-th distinct valid request.
private struct MatrixDesk: Sendable {
    typealias Fixture = @Sendable (MatrixDesk, Int) -> (path: String, body: String)

    let test: TestRuntime
    let admin: TestClient
    let caseID: String
    let tables: [String]

    static func prepare(_ test: TestRuntime, _ server: LiveServer) async throws -> MatrixDesk {
        let system = test.system()
        let it = test.runtime.context(for: ITServiceDeskModule.id)
        _ = try await SiteService(context: it).create(
            SiteInput(code: "SP-HQ", name: "São Paulo HQ", country: "BR", region: "BR-SP", timeZone: "America/Sao_Paulo", currency: "BRL"), by: system)
        _ = try await SiteService(context: it).addCostCenter(site: "SP-HQ", costCenter: "CC-MTX", name: "IT São Paulo", by: system)
        _ = try await AssetService(context: it).createModel(
            AssetModelInput(
                name: "Matrix Laptop", manufacturer: "Lenovo", category: "laptop", expectedLifeMonths: 36,
                unitCost: 500_000, currency: "BRL"), by: system)
        let admin = try await test.user("admin@example.com", roles: [.admin], regions: .all)
        _ = try await test.user("second@example.com", roles: [.analyst], regions: .only([RegionCode("BR-SP")!]))
        let client = TestClient(baseURL: server.baseURL, token: admin.token)
        let opened = try await client.post(
            "/api/incident-ops/cases", #"{"region":"BR-SP","businessLine":"drivers","category":"other","severity":"S4","description":"The case notes go to"}"#)
        guard opened.status == 201, case .object(let body)? = opened.json, case .string(let caseID)? = body["id"] else {
            throw VigilError(.internal, "could not open the matrix's case: \(opened.text)")
        }
        let tableQuery: SQLQueryString =
            test.runtime.database.family == .postgres
            ? "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
            : "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        let tables = try await test.runtime.database.sql.raw(tableQuery).all().map { try $0.decode(column: "name", as: String.self) }.sorted()
        return MatrixDesk(test: test, admin: client, caseID: caseID, tables: tables)
    }

    func send(_ method: String, _ request: (path: String, body: String), key: String) async throws -> TestResponse {
        try await admin.request(method, request.path, json: request.body, headers: ["Idempotency-Key": key])
    }

    /// Rows in every table of the database.
    func rowCounts() async throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for table in tables { counts[table] = try await test.count(table) }
        return counts
    }

    /// The tables whose row count changed, with by how much.
    static func delta(_ before: [String: Int], _ after: [String: Int]) -> [String: Int] { TestRuntime.delta(before, after) }

    /// Keyed by operationId as /openapi.json spells it (the domain's prefix first). Requests n = 1, 2, 3 differ from each other (another name, date or
    /// code), so that each is a new record, not a conflict with the one before. Dates lie after
    /// the test clock's 2026-01-15 where a background job would otherwise act on them (a shift
    /// ending, a contract's costs falling due).
    static let fixtures: [String: Fixture] = [
        // IncidentOps
        "incidentOpsOpenCase": { _, n in
            ("/api/incident-ops/cases", #"{"region":"BR-SP","businessLine":"drivers","category":"other","severity":"S4","description":"Matrix case \#(n)"}"#)
        },
        "incidentOpsAddCaseNote": { desk, n in ("/api/incident-ops/cases/\(desk.caseID)/notes", #"{"text":"Matrix note \#(n)"}"#) },
        "incidentOpsRecordCaseContact": { desk, n in
            ("/api/incident-ops/cases/\(desk.caseID)/contacts", #"{"channel":"phone","with":"reporter","outcome":"reached","note":"Matrix contact \#(n)"}"#)
        },
        "incidentOpsRecordCaseAttachment": { desk, n in
            (
                "/api/incident-ops/cases/\(desk.caseID)/attachments",
                #"{"fileName":"photo-\#(n).jpg","contentType":"image/jpeg","sizeBytes":\#(1000 * n),"sha256":"\#(String(repeating: String(n), count: 64))"}"#
            )
        },
        "incidentOpsCreateQueue": { _, n in ("/api/incident-ops/queues", #"{"region":"BR-SP","name":"Matrix queue \#(n)","strategy":"round-robin"}"#) },
        "incidentOpsAddShift": { _, n in
            (
                "/api/incident-ops/roster",
                #"{"email":"second@example.com","region":"BR-SP","role":"analyst","startsAt":"2026-02-1\#(n)T08:00:00Z","endsAt":"2026-02-1\#(n)T16:00:00Z"}"#
            )
        },
        "incidentOpsAddRotation": { _, n in
            (
                "/api/incident-ops/roster/rotation",
                #"{"region":"BR-SP","role":"analyst","emails":["admin@example.com","second@example.com"],"startDate":"2026-03-1\#(n)","days":2,"shiftsPerDay":1}"#
            )
        },
        "incidentOpsGenerateHandover": { _, n in
            ("/api/incident-ops/handovers", #"{"region":"BR-SP","shiftEndsAt":"2026-01-1\#(n)T06:00:00Z","notes":"Matrix handover \#(n)"}"#)
        },
        "incidentOpsPublishSOP": { _, n in
            (
                "/api/incident-ops/sops",
                #"{"category":"fraud","title":"Fraud runbook \#(n)","steps":[{"key":"verify","title":"Verify the account \#(n)","mandatory":true,"deadlineMinutes":60}]}"#
            )
        },
        // ITServiceDesk
        "itServiceDeskCreateSite": { _, n in
            (
                "/api/it-service-desk/sites",
                #"{"code":"MTX-\#(n)","name":"Matrix office \#(n)","country":"BR","region":"BR-SP","timeZone":"America/Sao_Paulo","currency":"BRL"}"#
            )
        },
        "itServiceDeskCreateGroup": { _, n in
            ("/api/it-service-desk/groups", #"{"region":"BR-SP","name":"Matrix group \#(n)","categories":["hardware"],"strategy":"round-robin"}"#)
        },
        "itServiceDeskOpenTicket": { _, n in
            (
                "/api/it-service-desk/tickets",
                #"{"type":"incident","category":"hardware","title":"Laptop \#(n) does not boot","description":"Black screen.","site":"SP-HQ","impact":2,"urgency":2}"#
            )
        },
        "itServiceDeskCreateAssetModel": { _, n in
            (
                "/api/it-service-desk/asset-models",
                #"{"name":"Matrix model \#(n)","manufacturer":"Lenovo","category":"laptop","expectedLifeMonths":36,"unitCost":500000,"currency":"BRL"}"#
            )
        },
        "itServiceDeskCreateAsset": { _, n in
            (
                "/api/it-service-desk/assets",
                #"{"tag":"MTX-\#(n)","model":"Matrix Laptop","site":"SP-HQ","purchaseDate":"2026-01-10","cost":450000,"currency":"BRL"}"#
            )
        },
        "itServiceDeskRecordExpense": { _, n in
            (
                "/api/it-service-desk/expenses",
                #"{"spentOn":"2026-01-1\#(n)","costCenter":"CC-MTX","kind":"opex","category":"software","amount":\#(1000 * n),"currency":"BRL","description":"Licences \#(n)"}"#
            )
        },
        "itServiceDeskCreateContract": { _, n in
            (
                "/api/it-service-desk/contracts",
                #"{"vendor":"Vivo","type":"network-link-lease","title":"Link \#(n)","site":"SP-HQ","start":"2026-06-0\#(n)","initialTermMonths":12,"noticeDays":30,"tacitRenewal":false,"billingPeriodMonths":1,"billingAmount":1000,"currency":"BRL"}"#
            )
        },
        "itServiceDeskCreateRequirement": { _, n in
            (
                "/api/it-service-desk/requirements",
                #"{"title":"Wi-Fi in wing \#(n)","businessNeed":"Analysts move in","site":"SP-HQ","priority":"medium","estimatedCost":100000,"currency":"BRL"}"#
            )
        },
    ]
}

/// The `type` of a problem answer.
private func problemType(_ response: TestResponse) -> String? {
    guard case .object(let members)? = response.json, case .string(let type)? = members["type"] else { return nil }
    return type
}
