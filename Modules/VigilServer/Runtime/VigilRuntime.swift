import Configuration
import Foundation
import Kernel
import Logging
import VigilIdentity
import VigilStorage

/// The composition root at run time: the registry's modules built over one database, with the
/// platform services (identity, audit) beside them. The CLI and the server both stand on it;
/// tests build one over a temporary database with any subset of domains.
public final class VigilRuntime: Sendable {
    public let registry: DomainRegistry
    public let settings: RuntimeSettings
    public let config: ConfigReader
    public let database: any ManagedDatabase
    public let clock: any WallClock
    public let ids: any IDGenerator
    /// The thread every domain's long work runs on (`DomainContext.longRunning`), below the
    /// priority of the threads that answer requests.
    let longWork = DedicatedThread(name: "vigil-long-work", niceness: 10)
    public let logger: Logger
    public let capabilities: CapabilityDirectory
    public let authorization: Authorization
    public let modules: [any DomainModule]
    public let users: UserDirectory
    public let tokens: TokenService
    public let sessions: SessionService
    public let authenticator: Authenticator
    public let audit: AuditLog
    /// The audit log as a given principal may read it; use this, not `audit`, to show records.
    public let auditReader: AuditReader
    public let plan: MigrationPlan
    public let regions: any RegionDirectory

    public enum SchemaPolicy: Sendable {
        /// Apply pending migrations (the server, by default).
        case migrate
        /// Refuse to run unless every migration is applied (domain commands).
        case requireCurrent
        /// Only refuse a database this build must not touch (migrate --status, backup).
        case checkOnly
    }

    public static func open(
        registry: DomainRegistry,
        settings: RuntimeSettings,
        config: ConfigReader,
        schema: SchemaPolicy,
        clock: any WallClock = SystemWallClock(),
        logger: Logger
    ) async throws -> VigilRuntime {
        let database = try await DatabaseOpener.open(
            settings.database, sqliteOptions: settings.sqliteOptions, poolWaitSeconds: settings.poolWaitSeconds, logger: logger)
        do {
            let plan = MigrationPlan(registry: registry)
            let migrator = Migrator(database: database, plan: plan)
            switch schema {
            case .migrate:
                let applied = try await migrator.apply(by: "vigil", now: { clock.now() })
                if !applied.isEmpty { logger.info("applied \(applied.count) migration(s)") }
            case .requireCurrent:
                try await migrator.check()
                let pending = try await migrator.status().filter { $0.state == .pending }
                if let first = pending.first {
                    throw VigilError(
                        .unavailable,
                        "the database at \(settings.database) has \(pending.count) pending migration(s) (first: \(first.domain)/\(first.id)); run `vigil migrate`"
                    )
                }
            case .checkOnly:
                try await migrator.check()
            }
            return try VigilRuntime(registry: registry, settings: settings, config: config, database: database, plan: plan, clock: clock, logger: logger)
        } catch {
            await database.close()
            throw error
        }
    }

    private init(
        registry: DomainRegistry, settings: RuntimeSettings, config: ConfigReader, database: any ManagedDatabase, plan: MigrationPlan, clock: any WallClock,
        logger: Logger
    ) throws {
        self.registry = registry
        self.settings = settings
        self.config = config
        self.database = database
        self.plan = plan
        self.clock = clock
        self.logger = logger
        self.ids = UUIDv7Generator(clock: clock)
        self.capabilities = CapabilityDirectory()
        self.regions = StoredRegionDirectory(database: database, clock: clock)
        self.authorization = Authorization(roles: registry.roleCatalog)
        let hasher = PasswordHasher(cost: UInt8(settings.bcryptCost))
        self.users = UserDirectory(database: database, clock: clock, ids: ids, hasher: hasher, roles: registry.roleCatalog)
        self.tokens = TokenService(database: database, clock: clock, ids: ids)
        self.sessions = SessionService(
            database: database, clock: clock, ids: ids, users: users, hasher: hasher, lifetime: TimeInterval(settings.sessionHours * 3600))
        self.authenticator = Authenticator(
            database: database, users: users, clock: clock, cacheSeconds: TimeInterval(settings.tokenCacheSeconds),
            sessionIdle: TimeInterval(settings.sessionIdleMinutes * 60))
        self.audit = AuditLog(database: database)
        var built: [any DomainModule] = []
        for type in registry.modules {
            built.append(
                type.init(
                    context: VigilRuntime.makeContext(
                        for: type.id, database: database, clock: clock, logger: logger, config: config, ids: ids, capabilities: capabilities,
                        authorization: authorization, regions: regions, people: UserPeopleDirectory(users: users), longWork: longWork)))
        }
        try DomainRegistry.validate(contributions: built)
        self.modules = built
        self.auditReader = AuditReader(log: audit, modules: built)
        for module in built {
            for capability in module.capabilities() { capabilities.register(capability) }
        }
    }

    private static func makeContext(
        for domain: DomainID, database: any ManagedDatabase, clock: any WallClock, logger: Logger, config: ConfigReader, ids: any IDGenerator,
        capabilities: CapabilityDirectory, authorization: Authorization, regions: any RegionDirectory, people: any PeopleDirectory,
        longWork: DedicatedThread
    ) -> DomainContext {
        var domainLogger = logger
        domainLogger[metadataKey: "domain"] = "\(domain)"
        return DomainContext(
            domain: domain, database: database, clock: clock, logger: domainLogger,
            config: config.scoped(to: ConfigKey(["domains", domain.rawValue])),
            ids: ids, capabilities: capabilities, authorization: authorization, regions: regions, people: people, longWork: longWork
        )
    }

    /// The context of one domain (or of the platform, for its own endpoints).
    public func context(for domain: DomainID) -> DomainContext {
        VigilRuntime.makeContext(
            for: domain, database: database, clock: clock, logger: logger, config: config, ids: ids, capabilities: capabilities, authorization: authorization,
            regions: regions, people: UserPeopleDirectory(users: users), longWork: longWork)
    }

    /// The host itself acting (the admin CLI on the server's host, jobs, first start).
    public func systemPrincipal(_ name: String) -> Principal {
        Principal.system(name, permissions: Set(registry.permissions.map(\.permission)))
    }

    public func close() async {
        await database.close()
        longWork.stop()
    }
}
