import Foundation
import Kernel
import Testing
import VigilServer
import VigilTesting

@Suite struct DocumentAndMetricsTests {
    @Test func openAPIDocumentValidatesAndCoversEveryRoute() async throws {
        try await withServer { fixture in
            let response = try await fixture.anonymous.get("/openapi.json")
            #expect(response.status == 200)
            let file = fixture.test.database.folder.appendingPathComponent("openapi.json")
            try response.body.write(to: file)
            // openapi-spec-validator from PyPI, in the venv `make test` prepares (VIGIL_TEST_PYTHON);
            // a missing validator fails the test.
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [
                ProcessInfo.processInfo.environment["VIGIL_TEST_PYTHON"] ?? "python3", "-c",
                "import json,sys; from openapi_spec_validator import validate; validate(json.load(open(sys.argv[1]))); print('valid')", file.path,
            ]
            let output = Pipe()
            process.standardOutput = output
            process.standardError = output
            try process.run()
            process.waitUntilExit()
            let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            #expect(process.terminationStatus == 0, "openapi-spec-validator: \(text)")

            guard case .object(let document)? = response.json, case .object(let paths)? = document["paths"] else {
                Issue.record("no paths")
                return
            }
            let documented = Set(
                paths.flatMap { path, item -> [String] in
                    guard case .object(let operations) = item else { return [] }
                    return operations.keys.map { "\($0.uppercased()) \(path)" }
                })
            let router = VigilServer.buildRouter(fixture.test.runtime)
            let mounted = Set(
                router.routes.map { route in
                    "\(route.method.rawValue) "
                        + route.path.description.split(separator: "/").map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }.joined(separator: "/")
                        .prefixedWithSlash
                })
            #expect(mounted.subtracting(documented).isEmpty, "undocumented: \(mounted.subtracting(documented))")
            #expect(documented.subtracting(mounted).isEmpty, "documented but not mounted: \(documented.subtracting(mounted))")
            #expect(documented.contains("POST /api/incident-ops/cases"))
        }
    }

    @Test func metricsCountRequestsPerRouteAndReadinessReportsTheSchema() async throws {
        try await withServer { fixture in
            for _ in 0..<3 { _ = try await fixture.analystSP.get("/api/incident-ops/cases") }
            _ = try await fixture.analystSP.get("/api/incident-ops/cases?severty=x")
            let metrics = try await fixture.anonymous.get("/metrics")
            #expect(metrics.status == 200)
            let lines = metrics.text.split(separator: "\n")
            #expect(
                lines.contains {
                    $0.hasPrefix("http_requests_total{") && $0.contains(#"http_route="/api/incident-ops/cases""#) && $0.contains(#"status_code="200""#)
                })
            #expect(
                lines.contains {
                    $0.hasPrefix("http_requests_total{") && $0.contains(#"http_route="/api/incident-ops/cases""#) && $0.contains(#"status_code="400""#)
                })
            #expect(lines.contains { $0.hasPrefix("http_server_request_duration_seconds_bucket{") && $0.contains("/api/incident-ops/cases") })
            let ready = try await fixture.anonymous.get("/readyz")
            #expect(ready.status == 200)
            #expect(try await fixture.anonymous.get("/healthz").status == 200)
        }
    }
}

private extension String {
    var prefixedWithSlash: String { hasPrefix("/") ? self : "/" + self }
}
