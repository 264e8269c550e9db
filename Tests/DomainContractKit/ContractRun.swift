import Foundation
import JSONCoding
import Kernel
import SQLKit
import Testing
import VigilServer
import VigilTesting

/// One run of the contract against a live server of the domain.
struct ContractRun {
    let domain: any DomainModule.Type
    let test: TestRuntime
    let server: LiveServer
    let samples: any ContractSamples

    var base: String { "/api/\(domain.id.rawValue)" }

    func run() async throws {
        guard let module = test.runtime.modules.first(where: { type(of: $0).id == domain.id }) else { return }
        let endpoints = module.endpoints().sorted { $0.operationID < $1.operationID }
        let admin = try await client(roles: [.admin], regions: .all, "contract.admin")
        let records = try await samples.seed(ContractAdmin(client: admin, test: test), in: DomainContract.home)

        let document = try #require(try await TestClient(baseURL: server.baseURL, token: nil).get("/openapi.json").json)
        checkDocument(document, endpoints)
        try await checkRefusals(endpoints, records)
        var reached = try await checkReads(endpoints, records, admin: admin)
        try await checkOtherRegionReadsNothing(endpoints, records)
        reached.formUnion(try await checkWrites(endpoints, records, admin: admin))

        // Every operation is either reached or named, with a reason, as one the samples leave alone.
        let named = Set(samples.unreached.keys)
        let unreached = Set(endpoints.map(\.operationID)).subtracting(reached)
        #expect(
            unreached.subtracting(named).isEmpty,
            "\(domain.id): operations neither reached nor named in the samples' `unreached`: \(unreached.subtracting(named).sorted())")
        let unknown = named.subtracting(endpoints.map(\.operationID))
        #expect(unknown.isEmpty, "\(domain.id): `unreached` names no operation of the domain: \(unknown.sorted())")
    }

    private func client(roles: [Role], regions: RegionScope, _ name: String) async throws -> TestClient {
        let user = try await test.user("\(name)@contract.test", roles: roles, regions: regions)
        return TestClient(baseURL: server.baseURL, token: user.token)
    }

    // MARK: The document

    private func checkDocument(_ document: JSONValue, _ endpoints: [Endpoint]) {
        for endpoint in endpoints {
            let route = "\(endpoint.method.rawValue) \(base)\(endpoint.path)"
            guard let operation = document.member("paths")?.member(base + endpoint.path)?.member(endpoint.method.rawValue.lowercased()) else {
                Issue.record("\(route) is not in /openapi.json")
                continue
            }
            let statuses = Set(operation.member("responses")?.keys ?? [])
            #expect(statuses.contains { $0.hasPrefix("2") }, "\(route) documents no success")
            if !endpoint.anonymous { #expect(statuses.contains("401"), "\(route) does not document 401") }
            if endpoint.permission != nil { #expect(statuses.contains("403"), "\(route) does not document 403") }
            if endpoint.requestBody != nil { #expect(statuses.contains("422"), "\(route) does not document 422") }
            let headers = Set((operation.member("parameters")?.items ?? []).compactMap { $0.member("name")?.string })
            if endpoint.idempotent { #expect(headers.contains("Idempotency-Key"), "\(route) does not document Idempotency-Key") }
            if endpoint.versioned { #expect(headers.contains("If-Match"), "\(route) does not document If-Match") }
        }
    }

    // MARK: Refusals

    /// No one signed in: 401. Signed in without the permission: 403. Neither writes a row.
    private func checkRefusals(_ endpoints: [Endpoint], _ records: ContractRecords) async throws {
        let anonymous = TestClient(baseURL: server.baseURL, token: nil)
        let roleless = try await client(roles: [ContractBystanderModule.role], regions: .only([DomainContract.home]), "contract.bystander")
        // A permission granted to every role reaches the bystander too: then there is no one to refuse.
        let bystanderHolds = test.runtime.registry.roleCatalog.permissions(of: [ContractBystanderModule.role])
        let before = try await rowCounts()
        for endpoint in endpoints where !endpoint.anonymous {
            let path = base + (records.fill(endpoint) ?? records.fillOrMakeUp(endpoint.path))
            let body = endpoint.requestBody == nil ? nil : samples.body(for: endpoint.operationID, records) ?? "{}"
            let typed = body == nil ? [:] : ["Content-Type": endpoint.bodyMediaType]
            let answer = try await anonymous.request(endpoint.method.rawValue, path, json: body, headers: typed)
            #expect(answer.status == 401, "\(endpoint.operationID) without signing in: \(answer.status) \(answer.text.prefix(200))")
            if let permission = endpoint.permission, !bystanderHolds.contains(permission) {
                let refused = try await roleless.request(endpoint.method.rawValue, path, json: body, headers: typed)
                #expect(refused.status == 403, "\(endpoint.operationID) without \(permission): \(refused.status) \(refused.text.prefix(200))")
            }
        }
        let after = try await rowCounts()
        #expect(Self.delta(before, after).isEmpty, "refused requests wrote rows: \(Self.delta(before, after))")
    }

    // MARK: Reads

    /// Every read the records can fill answers the admin with a body its schema accepts.
    private func checkReads(_ endpoints: [Endpoint], _ records: ContractRecords, admin: TestClient) async throws -> Set<String> {
        var reached: Set<String> = []
        for endpoint in endpoints where endpoint.method == .get && samples.unreached[endpoint.operationID] == nil {
            guard let path = records.fill(endpoint) else {
                Issue.record("\(endpoint.operationID): the records fill no value for \(endpoint.path)")
                continue
            }
            let query = records.queries[endpoint.operationID].map { "?" + $0 } ?? ""
            let answer = try await admin.get(base + path + query)
            guard answer.status == 200 else {
                Issue.record("\(endpoint.operationID) \(path)\(query) answered the admin \(answer.status) \(answer.text.prefix(300))")
                continue
            }
            reached.insert(endpoint.operationID)
            let declared = endpoint.responses.first { $0.status == 200 && $0.mediaType == "application/json" }
            guard answer[header: "Content-Type"]?.hasPrefix("application/json") == true, let schema = declared?.schema else { continue }
            guard let json = answer.json else {
                Issue.record("\(endpoint.operationID): the answer is not JSON")
                continue
            }
            let issues = schema.validate(json)
            #expect(
                issues.isEmpty,
                "\(endpoint.operationID): the answer does not match its declared schema: \(issues.prefix(5).map { "\($0.field): \($0.message)" })")
        }
        return reached
    }

    /// A user of another region with every role of the domain reads none of the seeded records,
    /// by list or by id.
    private func checkOtherRegionReadsNothing(_ endpoints: [Endpoint], _ records: ContractRecords) async throws {
        let roles = domain.roles.map(\.role)
        let stranger = try await client(roles: roles, regions: .only([DomainContract.elsewhere]), "contract.elsewhere")
        for endpoint in endpoints where endpoint.method == .get {
            guard let path = records.fill(endpoint) else { continue }
            let query = records.queries[endpoint.operationID].map { "?" + $0 } ?? ""
            let answer = try await stranger.get(base + path + query)
            // 422 only where the read needs a region the stranger does not have: it names none.
            #expect([200, 403, 404, 422].contains(answer.status), "\(endpoint.operationID) elsewhere: \(answer.status) \(answer.text.prefix(200))")
            // A refusal may echo the path asked for (`instance`): only what the caller did not send is a leak.
            let leaked = records.words.filter { answer.text.contains($0) && !(path + query).contains($0) }
            #expect(leaked.isEmpty, "\(endpoint.operationID) shows \(DomainContract.elsewhere) records of \(DomainContract.home): \(leaked.sorted())")
        }
    }

    // MARK: Writes

    /// Every operation the samples give a body: audited when it succeeds; an idempotent one
    /// replays its first answer for a retried key and writes nothing the second time.
    private func checkWrites(_ endpoints: [Endpoint], _ records: ContractRecords, admin: TestClient) async throws -> Set<String> {
        var reached: Set<String> = []
        for endpoint in endpoints where endpoint.method != .get && samples.unreached[endpoint.operationID] == nil {
            guard let path = records.fill(endpoint) else {
                Issue.record("\(endpoint.operationID): the records fill no value for \(endpoint.path)")
                continue
            }
            let body = samples.body(for: endpoint.operationID, records)
            if endpoint.requestBody != nil && body == nil {
                Issue.record("\(endpoint.operationID) takes a body and the samples give none")
                continue
            }
            let key = "contract-\(endpoint.operationID)"
            var headers = endpoint.idempotent ? ["Idempotency-Key": key] : [:]
            if body != nil { headers["Content-Type"] = endpoint.bodyMediaType }
            if let version = records.ifMatch[endpoint.operationID] {
                headers["If-Match"] = "\"\(version)\""
            } else if endpoint.versioned {
                guard let etag = try await currentVersion(of: base + path, admin) else {
                    Issue.record("\(endpoint.operationID): no read above \(path) gives the record's ETag for If-Match")
                    continue
                }
                headers["If-Match"] = etag
            }
            let before = try await rowCounts()
            let first = try await admin.request(endpoint.method.rawValue, base + path, json: body, headers: headers)
            let afterFirst = try await rowCounts()
            guard (200..<300).contains(first.status) else {
                Issue.record("\(endpoint.operationID): the sample request fails: \(first.status) \(first.text.prefix(300))")
                continue
            }
            reached.insert(endpoint.operationID)
            if samples.unaudited[endpoint.operationID] == nil {
                #expect((Self.delta(before, afterFirst)["vigil_audit"] ?? 0) >= 1, "\(endpoint.operationID) wrote no audit record")
            }
            guard endpoint.idempotent else { continue }
            let retry = try await admin.request(endpoint.method.rawValue, base + path, json: body, headers: headers)
            #expect(retry.status == first.status && retry.body == first.body, "\(endpoint.operationID): the retry answered \(retry.status)")
            #expect(retry[header: "Idempotent-Replayed"] == "true", "\(endpoint.operationID): the retry is not marked as a replay")
            let afterRetry = try await rowCounts()
            #expect(Self.delta(afterFirst, afterRetry).isEmpty, "\(endpoint.operationID): the retry wrote \(Self.delta(afterFirst, afterRetry))")
        }
        return reached
    }

    /// The ETag of the record an update names: the nearest read up the path that gives one
    /// (`/cases/{id}` for `/cases/{id}/assign`).
    private func currentVersion(of path: String, _ admin: TestClient) async throws -> String? {
        var segments = path.split(separator: "/").map(String.init)
        while segments.count > 2 {
            let answer = try await admin.get("/" + segments.joined(separator: "/"))
            if answer.status == 200, let etag = answer[header: "ETag"] { return etag }
            segments.removeLast()
        }
        return nil
    }

    // MARK: Rows

    private func rowCounts() async throws -> [String: Int] { try await test.rowCounts() }

    static func delta(_ before: [String: Int], _ after: [String: Int]) -> [String: Int] { TestRuntime.delta(before, after) }
}

extension JSONValue {
    func member(_ key: String) -> JSONValue? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    var keys: [String] {
        if case .object(let members) = self { return Array(members.keys) }
        return []
    }

    var items: [JSONValue] {
        if case .array(let items) = self { return items }
        return []
    }

    var string: String? {
        if case .string(let text) = self { return text }
        return nil
    }
}
