import Configuration
import Foundation
import Logging

/// Everything a domain module receives from the host. It is a plain value so tests can build one
/// over a temporary database with a fixed clock.
public struct DomainContext: Sendable {
    public let domain: DomainID
    public let database: any VigilDatabase
    public let clock: any WallClock
    public let logger: Logger
    /// The domain's own config scope: keys under `domains.<id>`.
    public let config: ConfigReader
    public let ids: any IDGenerator
    public let capabilities: CapabilityDirectory
    public let authorization: Authorization
    public let regions: any RegionDirectory
    public let people: any PeopleDirectory
    /// Where work that takes seconds runs (see `longRunning`); nil runs it where it is called.
    public let longWork: (any TaskExecutor)?

    public init(
        domain: DomainID,
        database: any VigilDatabase,
        clock: any WallClock,
        logger: Logger,
        config: ConfigReader,
        ids: any IDGenerator,
        capabilities: CapabilityDirectory,
        authorization: Authorization,
        regions: any RegionDirectory,
        people: any PeopleDirectory,
        longWork: (any TaskExecutor)? = nil
    ) {
        self.domain = domain
        self.database = database
        self.clock = clock
        self.logger = logger
        self.config = config
        self.ids = ids
        self.capabilities = capabilities
        self.authorization = authorization
        self.regions = regions
        self.people = people
        self.longWork = longWork
    }

    /// Runs work that takes seconds (a report over a year, a book-value run over a million assets)
    /// on the host's thread for long work, at a lower priority: its folding and sorting never
    /// hold the cooperative threads that answer every other request, and on a busy machine the
    /// requests come first. Its statements still run on the database's reader threads.
    public func longRunning<R: Sendable>(_ body: @escaping @Sendable () async throws -> R) async throws -> R {
        guard let longWork else { return try await body() }
        return try await withTaskExecutorPreference(longWork) { try await body() }
    }

    /// Runs `body` as one transaction of this domain: its writes, the audit records and the
    /// outbox events it adds commit together or not at all.
    ///
    /// `body` may run more than once before its transaction commits: on SQLite, transactions that
    /// queue up commit together, and when one of them fails the others run again, each under a
    /// savepoint, so that the failure stays its own. Everything `body` does must therefore go
    /// through `tx` (rows, audit, events, references), all of which a rerun replaces; anything
    /// outside the database (a call to another system, a counter in memory, a log line that
    /// matters) belongs after this function returns, where it happens once.
    ///
    /// Under an idempotent request (see `IdempotencyClaim`), the request's first transaction also
    /// takes its Idempotency-Key, in the same commit.
    public func transaction<R: Sendable>(
        _ invocation: Invocation,
        _ body: @escaping @Sendable (Transaction) async throws -> R
    ) async throws -> R {
        guard let claim = IdempotencyClaim.current, !claim.isCommitted else {
            return try await database.transaction(domain: domain, invocation: invocation, now: clock.now(), body)
        }
        let result = try await database.transaction(domain: domain, invocation: invocation, now: clock.now()) { tx in
            try await tx.claimIdempotency(claim.key)
            return try await body(tx)
        }
        claim.markCommitted()
        return result
    }

    /// For a record written into a region the request names: one the principal works in (403
    /// otherwise, whether or not the region exists, so a scoped user learns nothing of others) and
    /// one of this installation's (a 422 on the field for those who work everywhere).
    @discardableResult
    public func requireWritable(_ region: RegionCode, by principal: Principal, field: String = "region") async throws -> RegionInfo {
        try authorization.requireRegion(principal, region)
        return try await regions.require(region, field: field)
    }

    /// Publishes an event outside a domain change (a job's finding, say), in its own transaction.
    public func publish<Payload: DomainEventPayload>(
        _ payload: Payload,
        subject: EntityRef? = nil,
        region: RegionCode? = nil,
        invocation: Invocation
    ) async throws {
        try await transaction(invocation) { tx in
            try await tx.publish(payload, subject: subject, region: region)
        }
    }
}
