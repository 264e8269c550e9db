import Foundation
import Kernel
import Logging
import VigilServer
import VigilStorage

/// How CLI commands reach the configured database and act: as the host's admin by default, or as
/// a user with `--as`.
struct HostEnvironment: CommandEnvironment {
    let registry: DomainRegistry

    func openSession(_ options: GlobalOptions, domain: DomainID) async throws -> CommandSession {
        let runtime = try await HostEnvironment.openRuntime(registry: registry, options: options, schema: .requireCurrent)
        do {
            let principal = try await HostEnvironment.principal(runtime, options: options)
            let invocation = Invocation(principal: principal, channel: .cli, requestID: "cli-" + runtime.ids.next().lowercased, reason: options.reason)
            return CommandSession(context: runtime.context(for: domain), invocation: invocation, output: CommandOutput(json: options.json)) {
                await runtime.close()
            }
        } catch {
            await runtime.close()
            throw error
        }
    }

    static func openRuntime(registry: DomainRegistry, options: GlobalOptions, schema: VigilRuntime.SchemaPolicy) async throws -> VigilRuntime {
        let config = try await LoadedConfig.load(configFile: options.config)
        let settings = try RuntimeSettings(config: config.reader, databaseOverride: options.database)
        var logger = Logger(label: "vigil")
        logger.logLevel = .warning
        return try await VigilRuntime.open(registry: registry, settings: settings, config: config.reader, schema: schema, logger: logger)
    }

    /// The host's admin (`system:cli`), or the user named by `--as`, with their own roles and regions.
    static func principal(_ runtime: VigilRuntime, options: GlobalOptions) async throws -> Principal {
        guard let email = options.actAs else {
            return Principal.system("cli(\(OperatingSystemUser.name))", permissions: Set(runtime.registry.permissions.map(\.permission)))
        }
        guard let user = try await runtime.users.find(email: email), user.active else {
            throw VigilError(.unauthorized, "--as \(email): no active user with that email")
        }
        return runtime.users.principal(for: user)
    }
}

/// Runs a platform command (user, token, audit…) with a runtime, turning failures into a message
/// and an exit code like domain commands.
enum PlatformCommand {
    static func run(
        _ options: GlobalOptions, schema: VigilRuntime.SchemaPolicy = .requireCurrent, _ body: (VigilRuntime, Invocation, CommandOutput) async throws -> Void
    ) async throws {
        let runtime: VigilRuntime
        do {
            runtime = try await HostEnvironment.openRuntime(registry: VigilCLI.registry, options: options, schema: schema)
        } catch {
            throw CommandFailure.from(error)
        }
        do {
            let principal = try await HostEnvironment.principal(runtime, options: options)
            let invocation = Invocation(principal: principal, channel: .cli, requestID: "cli-" + runtime.ids.next().lowercased, reason: options.reason)
            try await body(runtime, invocation, CommandOutput(json: options.json))
            await runtime.close()
        } catch {
            await runtime.close()
            throw CommandFailure.from(error)
        }
    }
}
