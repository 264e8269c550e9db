import Kernel

/// Commands run in-process against a test runtime, as the system principal, their output captured:
/// how a domain's CLI is tested without starting the binary (`CommandRuntime.$override`).
public struct TestCommandEnvironment: CommandEnvironment {
    public let test: TestRuntime
    public let output: CapturedOutput

    public init(test: TestRuntime, output: CapturedOutput) {
        self.test = test
        self.output = output
    }

    public func openSession(_ options: GlobalOptions, domain: DomainID) async throws -> CommandSession {
        CommandSession(context: test.runtime.context(for: domain), invocation: test.system(), output: CommandOutput(json: options.json, sink: output.sink)) {}
    }
}
