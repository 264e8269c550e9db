import ArgumentParser
import Foundation
import Hummingbird
import Kernel
import Logging
import VigilConsole
import VigilServer
import VigilStorage

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the HTTP server (JSON API, /openapi.json, /metrics) and the background jobs.",
        discussion:
            "Applies pending migrations first (unless --no-migrate or database.migrate-on-start=false). On an installation without an active admin it creates one and prints a token once. Stops gracefully on SIGTERM or SIGINT."
    )

    @OptionGroup var global: GlobalOptions
    @Option(help: "Address to listen on (default: http.host, 127.0.0.1).") var host: String?
    @Option(help: "Port to listen on (default: http.port, 8080; 0 picks a free port).") var port: Int?
    @Flag(help: "Do not apply pending migrations; refuse to start if any are pending.") var noMigrate = false

    func run() async throws {
        do {
            let config = try await LoadedConfig.load(configFile: global.config)
            let settings = try RuntimeSettings(config: config.reader, databaseOverride: global.database)
            var logger = Logger(label: "vigil")
            logger.logLevel = Logger.Level(rawValue: settings.logLevel) ?? .info
            var lock: ServerLock?
            if case .sqlite(let path) = settings.database {
                let serverLock = try ServerLock(databasePath: path)
                guard serverLock.tryAcquire() else {
                    throw VigilError(.conflict, "another vigil server is running on \(path)")
                }
                lock = serverLock
            }
            let migrate = settings.migrateOnStart && !noMigrate
            let runtime = try await VigilRuntime.open(
                registry: VigilCLI.registry, settings: settings, config: config.reader,
                schema: migrate ? .migrate : .requireCurrent, logger: logger)
            if let credentials = try await FirstStart.ensureAdmin(runtime) {
                say(
                    """
                    First start: created the admin \(credentials.email).
                      password:  \(credentials.password)
                      API token: \(credentials.token)
                    Both are shown only now. Try: curl -H 'Authorization: Bearer \(credentials.token)' http://\(host ?? settings.httpHost):\(port ?? settings.httpPort)/api/me
                    """)
            }
            let listenHost = host ?? settings.httpHost
            let console = try ConsoleServer(registry: runtime.registry)
            let app = VigilServer.buildApplication(runtime, host: listenHost, port: port, extensions: [console]) { boundPort in
                say(
                    "Vigil \(VigilServer.version) serving \(runtime.registry.ids.map(\.rawValue).joined(separator: ", ")) on http://\(listenHost):\(boundPort) (database: \(settings.database))"
                )
            }
            try await app.runService()
            await runtime.close()
            lock?.release()
        } catch {
            throw CommandFailure.from(error)
        }
    }
}

/// Writes a line to standard output at once: when output goes to a file or a pipe, print() would
/// hold it in a buffer, and whoever waits for the token or the address would not see it.
func say(_ text: String) {
    FileHandle.standardOutput.write(Data((text + "\n").utf8))
}
