import ArgumentParser
import Foundation
import Kernel
import Logging
import Synchronization

/// The `vigil` program: platform commands plus one group per domain of the registry.
public enum VigilCLI {
    private static let current = Mutex<DomainRegistry?>(nil)

    /// The registry the program was started with; commands are built from it at parse time.
    static var registry: DomainRegistry {
        current.withLock { $0 } ?? (try! DomainRegistry([]))
    }

    public static func main(registry: DomainRegistry, arguments: [String] = Array(CommandLine.arguments.dropFirst())) async -> Never {
        current.withLock { $0 = registry }
        CommandRuntime.bootstrap(HostEnvironment(registry: registry))
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .info
            return handler
        }
        do {
            var command = try RootCommand.parseAsRoot(arguments)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            exit(0)
        } catch let failure as CommandFailure {
            FileHandle.standardError.write(Data("vigil: \(failure.message)\n".utf8))
            exit(failure.exitCode)
        } catch {
            RootCommand.exit(withError: error)
        }
    }

    /// For tests: runs a command line in this process and returns its exit code.
    public static func run(registry: DomainRegistry, arguments: [String]) async -> Int32 {
        current.withLock { $0 = registry }
        do {
            var command = try RootCommand.parseAsRoot(arguments)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            return 0
        } catch let failure as CommandFailure {
            FileHandle.standardError.write(Data("vigil: \(failure.message)\n".utf8))
            return failure.exitCode
        } catch {
            return RootCommand.exitCode(for: error).rawValue
        }
    }
}

struct RootCommand: AsyncParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: "vigil",
            abstract: "Vigil: the operations platform of the safety and operations teams.",
            discussion:
                "Runs the server (vigil serve) and administers its database. Commands act on the configured database directly, as the host's admin unless --as names a user.",
            version: "0.1.0",
            groupedSubcommands: [
                CommandGroup(
                    name: "Platform",
                    subcommands: [
                        ServeCommand.self, MigrateCommand.self, DomainsCommand.self, RolesCommand.self, UserCommand.self, TokenCommand.self,
                        BackupCommand.self, RestoreCommand.self, AuditCommand.self, ConfigCommand.self,
                    ]),
                CommandGroup(name: "Domains", subcommands: VigilCLI.registry.modules.map { domainGroup($0) }),
            ]
        )
    }
}

/// `vigil <domain-id> …`: a command type per domain, made from the module's static description.
struct DomainGroupCommand<Module: DomainModule>: AsyncParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: Module.id.rawValue, abstract: Module.title, subcommands: Module.commands)
    }
}

func domainGroup<Module: DomainModule>(_ module: Module.Type) -> any ParsableCommand.Type {
    DomainGroupCommand<Module>.self
}
