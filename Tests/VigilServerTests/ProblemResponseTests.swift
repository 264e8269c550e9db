import Foundation
import Kernel
import Testing
import VigilTesting

@Suite struct ProblemResponseTests {
    static let path = "/api/incident-ops/cases"

    @Test func badInputGetsProblemJSONNever500AndWritesNothing() async throws {
        try await withServer(settings: ["VIGIL_HTTP_MAX_BODY_BYTES": "4096"]) { fixture in
            let client = fixture.admin
            let cases: [(String, Data, Int, [String])] = [
                ("malformed JSON", Data("{\"region\": ".utf8), 400, []),
                ("not an object", Data("[1,2,3]".utf8), 422, ["body:type"]),
                (
                    "wrong types", Data(#"{"region":5,"businessLine":true,"category":"robbery","severity":2,"description":"x"}"#.utf8), 422,
                    ["region:type", "businessLine:type", "severity:type"]
                ),
                (
                    "unknown field", Data(ServerFixture.caseBody().replacingOccurrences(of: "}", with: #","priority":"P1"}"#).utf8), 422,
                    ["priority:unknown-field"]
                ),
                (
                    "missing fields", Data("{}".utf8), 422,
                    ["region:required", "businessLine:required", "category:required", "severity:required", "description:required"]
                ),
                ("value outside the enumeration", Data(ServerFixture.caseBody(severity: "S9").utf8), 422, ["severity:not-allowed"]),
                ("malformed region", Data(ServerFixture.caseBody(region: "Sao Paulo").utf8), 422, ["region:format"]),
                ("unknown region", Data(ServerFixture.caseBody(region: "AR-BA").utf8), 422, ["region:not-allowed"]),
                ("oversized body", Data(ServerFixture.caseBody(description: String(repeating: "a", count: 10_000)).utf8), 413, []),
                ("empty body", Data(), 400, []),
            ]
            for (name, body, status, fields) in cases {
                let response = try await client.request("POST", Self.path, body: body)
                #expect(response.status == status, "\(name): \(response.text)")
                #expect(response[header: "content-type"] == "application/problem+json", "\(name)")
                #expect(Set(response.problemFields).isSuperset(of: fields), "\(name): \(response.problemFields)")
                guard case .object(let problem)? = response.json else { Issue.record("\(name): no problem body"); continue }
                #expect(problem["status"] == .integer(Int64(status)))
                #expect(problem["type"].map { if case .string(let uri) = $0 { uri.hasPrefix("https://vigil.dev/problems/") } else { false } } == true)
                #expect(problem["requestId"] != nil)
            }
            let wrongType = try await client.request("POST", Self.path, body: Data(ServerFixture.caseBody().utf8), headers: ["Content-Type": "text/plain"])
            #expect(wrongType.status == 415)
            let badQuery = try await client.get(Self.path + "?severty=S1&limit=0")
            #expect(badQuery.status == 400)
            #expect(Set(badQuery.problemFields) == ["severty:unknown-field", "limit:out-of-range"])
            let badCursor = try await client.get(Self.path + "?cursor=zzz")
            #expect(badCursor.status == 422 || badCursor.status == 400)
            let noRoute = try await client.get("/api/incident-ops/nothing-here")
            #expect(noRoute.status == 404 && noRoute[header: "content-type"] == "application/problem+json")
            #expect(try await fixture.test.count("incident_cases") == 0)
            #expect(try await fixture.test.count("vigil_outbox") == 0)
            #expect(try await fixture.test.count("vigil_audit") == 8)  // the fixture's 4 users and 4 tokens only
        }
    }

    @Test func requestIDIsEchoedOrMade() async throws {
        try await withServer { fixture in
            let given = try await fixture.anonymous.get("/healthz", headers: ["X-Request-ID": "trace-abc-123"])
            #expect(given[header: "x-request-id"] == "trace-abc-123")
            let made = try await fixture.anonymous.get("/healthz")
            #expect(UUID(uuidString: made[header: "x-request-id"] ?? "") != nil)
        }
    }
}
