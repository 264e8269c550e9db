import Foundation
import IncidentOps
import Kernel
import Testing
import VigilTesting

/// Domain commands through the Kernel's command runtime, with a test environment in place of
/// the host's: the same pattern a domain team uses to test its CLI without a process.
@Suite struct CommandRuntimeTests {
    @Test func failuresBecomeMessagesWithExitCodes() async throws {
        let test = try await TestRuntime.make(domains: [IncidentOpsModule.self])
        let output = CapturedOutput()
        try await CommandRuntime.$override.withValue(TestCommandEnvironment(test: test, output: output)) {
            await #expect {
                try await CommandRuntime.run(try GlobalOptions.parse([]), domain: IncidentOpsModule.id) { _ in throw VigilError.notFound("case X") }
            } throws: {
                ($0 as? CommandFailure)?.exitCode == 66
            }
            try await CommandRuntime.run(try GlobalOptions.parse(["--json"]), domain: IncidentOpsModule.id) { session in
                #expect(session.context.domain == IncidentOpsModule.id)
                try session.output.emit(["ok": true]) { Table([], []) }
            }
        }
        #expect(output.text.contains("\"ok\" : true"))
        await test.close()
    }
}
