import ArgumentParser
import Foundation
import Synchronization

/// How a domain command reaches the database and the acting principal without knowing the host:
/// the host bootstraps an environment once (like LoggingSystem.bootstrap); a test may override it
/// for the current task.
public protocol CommandEnvironment: Sendable {
    func openSession(_ options: GlobalOptions, domain: DomainID) async throws -> CommandSession
}

/// An open connection to the configured database, as one principal, for one command.
public struct CommandSession: Sendable {
    public let context: DomainContext
    public let invocation: Invocation
    public let output: CommandOutput
    private let closer: @Sendable () async -> Void

    public init(context: DomainContext, invocation: Invocation, output: CommandOutput, close: @escaping @Sendable () async -> Void) {
        self.context = context
        self.invocation = invocation
        self.output = output
        self.closer = close
    }

    public var principal: Principal { invocation.principal }

    public func close() async { await closer() }
}

public enum CommandRuntime {
    private static let bootstrapped = Mutex<(any CommandEnvironment)?>(nil)
    @TaskLocal public static var override: (any CommandEnvironment)?

    public static func bootstrap(_ environment: any CommandEnvironment) {
        bootstrapped.withLock { $0 = environment }
    }

    /// Opens a session for `domain`, runs `body`, and turns failures into a message on stderr and
    /// the exit code of their kind.
    public static func run(
        _ options: GlobalOptions,
        domain: DomainID,
        _ body: (CommandSession) async throws -> Void
    ) async throws {
        guard let environment = override ?? bootstrapped.withLock({ $0 }) else {
            throw CommandFailure(message: "vigil is not bootstrapped: no database environment", exitCode: 70)
        }
        let session: CommandSession
        do {
            session = try await environment.openSession(options, domain: domain)
        } catch {
            throw CommandFailure.from(error)
        }
        do {
            try await body(session)
            await session.close()
        } catch {
            await session.close()
            throw CommandFailure.from(error)
        }
    }
}

/// A command's failure: what stderr shows and the exit code. Thrown out of `run()`, it is printed
/// by the host's entry point.
///
/// One convention for every command (sysexits(3)):
/// - 64 `usage`: the command line itself is wrong: an unknown or missing option, or a value that
///   is not of the option's kind (a status outside its list, a date or region code that is not
///   one). Typed options (`ExpressibleByArgument`, `ArgumentValue`) give these before anything runs.
/// - 65 `data`: a well-formed request the rules refuse (validation, rows of a file that do not
///   import), the same refusals the API answers with 400/422.
/// - 66 not found, 69 unavailable, 70 internal, 75 conflict or stale version, 77 not permitted,
///   78 configuration: from `VigilError.Kind.exitCode` and the registry.
public struct CommandFailure: Error, CustomStringConvertible {
    public let message: String
    public let exitCode: Int32

    public init(message: String, exitCode: Int32) {
        self.message = message
        self.exitCode = exitCode
    }

    public var description: String { message }

    /// The command line is wrong (exit 64).
    public static func usage(_ message: String) -> CommandFailure { CommandFailure(message: message, exitCode: 64) }
    /// The input is well formed but refused (exit 65).
    public static func data(_ message: String) -> CommandFailure { CommandFailure(message: message, exitCode: 65) }

    public static func from(_ error: any Error) -> CommandFailure {
        switch error {
        case let failure as CommandFailure: failure
        case let vigil as VigilError: CommandFailure(message: vigil.description, exitCode: vigil.kind.exitCode)
        case let registry as RegistryError: CommandFailure(message: registry.description, exitCode: 78)
        default: CommandFailure(message: String(describing: error), exitCode: 70)
        }
    }
}
