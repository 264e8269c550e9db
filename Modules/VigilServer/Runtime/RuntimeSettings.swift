import Configuration
import Foundation
import Kernel
import VigilStorage

/// The platform's settings, read once from the config reader (environment VIGIL_*, then the config
/// file, then these defaults). `catalog` lists them for `vigil config show`.
public struct RuntimeSettings: Sendable {
    public var database: DatabaseLocation
    public var sqliteSynchronous: String
    public var sqliteReaders: Int
    /// How long a PostgreSQL statement waits for a free pooled connection before it fails.
    public var poolWaitSeconds: Int
    public var migrateOnStart: Bool
    public var httpHost: String
    public var httpPort: Int
    public var maxBodyBytes: Int
    public var bcryptCost: Int
    public var sessionHours: Int
    /// A console session unused this long ends (its absolute limit is `sessionHours`).
    public var sessionIdleMinutes: Int
    public var tokenCacheSeconds: Int
    public var createAdminOnFirstStart: Bool
    public var adminEmail: String
    public var outboxPollMilliseconds: Int
    public var outboxMaxAttempts: Int
    public var webhooks: [WebhookSettings]
    public var logLevel: String

    public struct WebhookSettings: Sendable, Hashable {
        public let name: String
        public let url: String
        public let eventTypes: Set<String>
        public let secret: String?
    }

    public static let catalog: [ConfigSetting] = [
        ConfigSetting("database.url", "SQLite file path or postgres:// URL", default: DatabaseLocation.defaultSQLitePath, secret: true),
        ConfigSetting("database.sqlite.synchronous", "FULL (a commit survives a power cut) or NORMAL (faster; survives a crash)", default: "FULL"),
        ConfigSetting("database.sqlite.readers", "SQLite reader connections", default: "3"),
        ConfigSetting("database.postgres.pool-wait-seconds", "how long a statement waits for a free PostgreSQL connection before it fails", default: "10"),
        ConfigSetting("database.migrate-on-start", "the server applies pending migrations when it starts", default: "true"),
        ConfigSetting("http.host", "address the server listens on", default: "127.0.0.1"),
        ConfigSetting("http.port", "port the server listens on", default: "8080"),
        ConfigSetting("http.max-body-bytes", "largest request body accepted", default: "1048576"),
        ConfigSetting("auth.bcrypt-cost", "bcrypt cost of password hashes", default: "12"),
        ConfigSetting("auth.session-hours", "how long a console sign-in lasts", default: "12"),
        ConfigSetting("auth.session-idle-minutes", "a console sign-in unused this long ends (an open live page counts as use)", default: "60"),
        ConfigSetting("auth.token-cache-seconds", "how long a resolved token is trusted before it is looked up again", default: "5"),
        ConfigSetting("bootstrap.create-admin", "create an admin and print a token on first start if none exists", default: "true"),
        ConfigSetting("bootstrap.admin-email", "email of the admin created on first start", default: "admin@vigil.local"),
        ConfigSetting("outbox.poll-milliseconds", "how often the outbox is polled for events written by other processes", default: "1000"),
        ConfigSetting("outbox.max-attempts", "deliveries of one event to one subscriber before it is dead-lettered", default: "10"),
        ConfigSetting("outbox.webhooks", "names of outbound webhooks (each configured under outbox.webhook.<name>.url, .events, .secret)", default: ""),
        ConfigSetting("log.level", "trace, debug, info, notice, warning, error or critical", default: "info"),
    ]

    public init(config: ConfigReader, databaseOverride: String? = nil) throws {
        let databaseText = databaseOverride ?? config.string(forKey: "database.url", isSecret: true, default: DatabaseLocation.defaultSQLitePath)
        database = try DatabaseLocation(databaseText)
        sqliteSynchronous = config.string(forKey: "database.sqlite.synchronous", default: "FULL").uppercased()
        sqliteReaders = config.int(forKey: "database.sqlite.readers", default: 3)
        poolWaitSeconds = config.int(forKey: "database.postgres.pool-wait-seconds", default: 10)
        migrateOnStart = config.bool(forKey: "database.migrate-on-start", default: true)
        httpHost = config.string(forKey: "http.host", default: "127.0.0.1")
        httpPort = config.int(forKey: "http.port", default: 8080)
        maxBodyBytes = config.int(forKey: "http.max-body-bytes", default: 1_048_576)
        bcryptCost = config.int(forKey: "auth.bcrypt-cost", default: 12)
        sessionHours = config.int(forKey: "auth.session-hours", default: 12)
        sessionIdleMinutes = config.int(forKey: "auth.session-idle-minutes", default: 60)
        tokenCacheSeconds = config.int(forKey: "auth.token-cache-seconds", default: 5)
        createAdminOnFirstStart = config.bool(forKey: "bootstrap.create-admin", default: true)
        adminEmail = config.string(forKey: "bootstrap.admin-email", default: "admin@vigil.local")
        outboxPollMilliseconds = config.int(forKey: "outbox.poll-milliseconds", default: 1_000)
        outboxMaxAttempts = config.int(forKey: "outbox.max-attempts", default: 10)
        logLevel = config.string(forKey: "log.level", default: "info")
        let names = config.string(forKey: "outbox.webhooks", default: "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter {
            !$0.isEmpty
        }
        webhooks = try names.map { name in
            let scope = config.scoped(to: ConfigKey(["outbox", "webhook", name]))
            guard let url = scope.string(forKey: "url"), URL(string: url)?.scheme?.hasPrefix("http") == true else {
                throw VigilError(.badRequest, "webhook '\(name)' needs outbox.webhook.\(name).url, an http(s) URL")
            }
            let events = Set(
                scope.string(forKey: "events", default: "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
            guard !events.isEmpty else {
                throw VigilError(.badRequest, "webhook '\(name)' needs outbox.webhook.\(name).events, a comma-separated list of event types")
            }
            return WebhookSettings(name: name, url: url, eventTypes: events, secret: scope.string(forKey: "secret", isSecret: true))
        }
        var problems: [String] = []
        if !["FULL", "NORMAL"].contains(sqliteSynchronous) { problems.append("database.sqlite.synchronous must be FULL or NORMAL") }
        if !(1...32).contains(sqliteReaders) { problems.append("database.sqlite.readers must be 1 to 32") }
        if !(1...600).contains(poolWaitSeconds) { problems.append("database.postgres.pool-wait-seconds must be 1 to 600") }
        if !(0...65535).contains(httpPort) { problems.append("http.port must be 0 to 65535") }
        if !(1_024...(64 << 20)).contains(maxBodyBytes) { problems.append("http.max-body-bytes must be 1 KiB to 64 MiB") }
        if !(4...31).contains(bcryptCost) { problems.append("auth.bcrypt-cost must be 4 to 31") }
        if !(1...168).contains(sessionHours) { problems.append("auth.session-hours must be 1 to 168") }
        if !(1...1440).contains(sessionIdleMinutes) { problems.append("auth.session-idle-minutes must be 1 to 1440") }
        if !(0...300).contains(tokenCacheSeconds) { problems.append("auth.token-cache-seconds must be 0 to 300") }
        if !(10...60_000).contains(outboxPollMilliseconds) { problems.append("outbox.poll-milliseconds must be 10 to 60000") }
        if !(1...100).contains(outboxMaxAttempts) { problems.append("outbox.max-attempts must be 1 to 100") }
        if !problems.isEmpty { throw VigilError(.badRequest, "the configuration is invalid:\n  " + problems.joined(separator: "\n  ")) }
    }

    public var sqliteOptions: SQLiteStore.Options {
        var options = SQLiteStore.Options()
        options.synchronous = sqliteSynchronous
        options.readers = sqliteReaders
        return options
    }
}
