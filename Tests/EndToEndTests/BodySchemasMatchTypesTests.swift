import Foundation
import IncidentOps
import ITServiceDesk
import JSONCoding
import Kernel
import RiderCompliance
import SafetyLiaison
import Testing
import TrainingOps
import VigilServer
import VigilTesting

/// A request body has two descriptions, its Schema (published, validated first) and the Codable
/// type its handler decodes. Every body the Schema accepts — the least and the most it takes,
/// made from the Schema alone — must decode: a "does not fit this request" answer is the two
/// disagreeing, whatever the domain's own rules then say.
@Suite struct BodySchemasMatchTypesTests {
    @Test func everyBodyTheSchemaAcceptsDecodesIntoItsType() async throws {
        let test = try await TestRuntime.make(
            domains: [IncidentOpsModule.self, RiderComplianceModule.self, TrainingOpsModule.self, ITServiceDeskModule.self, SafetyLiaisonModule.self])
        let server = try await LiveServer.start(test.runtime)
        do {
            let admin = try await test.user("schema.admin@example.com", roles: [.admin], regions: .all)
            let client = TestClient(baseURL: server.baseURL, token: admin.token)
            var mismatches: [String] = []
            var checked = 0
            var reached = 0
            for module in test.runtime.modules {
                for endpoint in module.endpoints() where endpoint.bodyMediaType == "application/json" {
                    guard let schema = endpoint.requestBody else { continue }
                    for extent in SchemaSample.Extent.allCases {
                        let body = SchemaSample.value(schema, extent)
                        #expect(schema.validate(body).isEmpty, "\(endpoint.operationID) \(extent): the sample is not valid: \(schema.validate(body))")
                        let path =
                            "/api/\(type(of: module).id)" + endpoint.path.replacingOccurrences(of: #"\{[^}]+\}"#, with: "sample", options: .regularExpression)
                        var headers = ["Idempotency-Key": "schema-\(endpoint.operationID)-\(extent)"]
                        if endpoint.versioned { headers["If-Match"] = "\"1\"" }
                        let response = try await client.request(endpoint.method.rawValue, path, json: body.jsonText, headers: headers)
                        checked += 1
                        if response.status != 404 { reached += 1 }
                        if response.text.contains("does not fit this request") {
                            mismatches.append("\(endpoint.method.rawValue) \(path) (\(endpoint.operationID), \(extent)): \(response.text)")
                        }
                    }
                }
            }
            print("Request bodies: \(checked) made from their Schemas, \(reached) reached their handler, \(mismatches.count) did not decode")
            #expect(mismatches.isEmpty, "\(mismatches.count) of \(checked) bodies:\n\(mismatches.joined(separator: "\n"))")
            // Most handlers decode before they look anything up: the check reached them.
            #expect(checked > 80 && reached * 2 > checked, "checked \(checked), reached \(reached)")
        } catch {
            try? await server.stop()
            await test.close()
            throw error
        }
        try? await server.stop()
        await test.close()
    }
}
