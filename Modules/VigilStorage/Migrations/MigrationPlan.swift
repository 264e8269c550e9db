import Crypto
import Foundation
import JSONCoding
import Kernel

/// Every migration this build knows, platform first, then each domain in registry order.
public struct MigrationPlan: Sendable {
    public struct Entry: Sendable {
        public let domain: DomainID
        public let migration: Migration
        public let checksum: String
    }

    public let entries: [Entry]
    /// Domains whose migrations this build is responsible for.
    public let domains: Set<DomainID>

    public init(registry: DomainRegistry) {
        self.init(PlatformSchema.migrations.map { (DomainID.platform, $0) } + registry.migrations)
    }

    public init(_ migrations: [(domain: DomainID, migration: Migration)]) {
        entries = migrations.map { Entry(domain: $0.domain, migration: $0.migration, checksum: MigrationPlan.checksum($0.migration)) }
        domains = Set(migrations.map(\.domain))
    }

    static func checksum(_ migration: Migration) -> String {
        var hasher = SHA256()
        for statement in migration.statements {
            hasher.update(data: Array(statement.sqlite.utf8))
            hasher.update(data: [0])
            hasher.update(data: Array(statement.postgres.utf8))
            hasher.update(data: [0])
        }
        return Hex.encode(hasher.finalize())
    }
}
