import ArgumentParser
import Foundation

/// The contract every domain signs. Static members describe the domain without running it
/// (the registry, `vigil domains`, migrations and permissions need only those); an instance is built
/// with its `DomainContext` when the host runs, and contributes routes, jobs and subscriptions.
/// Every requirement has a default, so a domain implements only what it has.
public protocol DomainModule: Sendable {
    static var id: DomainID { get }
    static var title: String { get }
    static var version: String { get }
    /// Other domains this one needs (`.required`) or uses when present (`.optional`).
    static var dependencies: [DomainDependency] { get }
    static var permissions: [PermissionDescriptor] { get }
    /// The roles this domain introduces (its job titles); no other domain declares them.
    static var roles: [RoleDescriptor] { get }
    /// Which roles of the build receive which of this domain's permissions (and of the platform's
    /// `grantableByDomains`); a grant to a role the build lacks is dropped, `Role.everyRole` reaches all.
    static var roleGrants: [Role: [Permission]] { get }
    /// The events this domain publishes, each typed `<domain id>.<…>`.
    static var events: [any DomainEventPayload.Type] { get }
    /// Schema changes in the order they apply; never edit one that has shipped, add a new one.
    static var migrations: [Migration] { get }
    /// Settings the domain reads from its config scope (`domains.<id>.*`), for `vigil config show`.
    static var settings: [ConfigSetting] { get }
    /// Subcommands of `vigil <id>`.
    static var commands: [any ParsableCommand.Type] { get }
    /// The folder of the domain's console resources: `templates/` (swift-mustache, one file a
    /// page), `i18n/<language>.json` (its catalog, one per `ConsoleLocale.languages`) and
    /// `assets/` (CSS and scripts). Usually `Bundle.module.url(forResource: "Resources", withExtension: nil)`.
    static var consoleResources: URL? { get }

    init(context: DomainContext)

    /// HTTP endpoints, mounted under /api/<id>/ and documented in /openapi.json.
    func endpoints() -> [Endpoint]
    /// Web console pages, mounted under /console/<id>/; they call `endpoints()` in process.
    func consolePages() -> [ConsolePage]
    func jobs() -> [BackgroundJob]
    func subscriptions() -> [EventSubscription]
    func reports() -> [ReportDescriptor]
    /// Gauges exported at /metrics, refreshed in the background.
    func gauges() -> [DomainGauge]
    /// Capabilities this domain offers to others through the Kernel.
    func capabilities() -> [ProvidedCapability]
    /// Entities whose audit records need more than region scoping to be read (sensitive ones),
    /// or that people name by a reference; the rest are read by region alone.
    func auditedEntities() -> [AuditedEntity]
}

extension DomainModule {
    public static var version: String { "1.0.0" }
    public static var dependencies: [DomainDependency] { [] }
    public static var permissions: [PermissionDescriptor] { [] }
    public static var roles: [RoleDescriptor] { [] }
    public static var roleGrants: [Role: [Permission]] { [:] }
    public static var events: [any DomainEventPayload.Type] { [] }
    public static var migrations: [Migration] { [] }
    public static var settings: [ConfigSetting] { [] }
    public static var commands: [any ParsableCommand.Type] { [] }
    public static var consoleResources: URL? { nil }

    public func endpoints() -> [Endpoint] { [] }
    public func consolePages() -> [ConsolePage] { [] }
    public func jobs() -> [BackgroundJob] { [] }
    public func subscriptions() -> [EventSubscription] { [] }
    public func reports() -> [ReportDescriptor] { [] }
    public func gauges() -> [DomainGauge] { [] }
    public func capabilities() -> [ProvidedCapability] { [] }
    public func auditedEntities() -> [AuditedEntity] { [] }
}

/// A dependency on another domain. Optional dependencies only order the composition.
public struct DomainDependency: Sendable, Hashable {
    public enum Strength: Sendable, Hashable { case required, optional }
    public let domain: DomainID
    public let strength: Strength

    public static func required(_ domain: DomainID) -> DomainDependency { .init(domain: domain, strength: .required) }
    public static func optional(_ domain: DomainID) -> DomainDependency { .init(domain: domain, strength: .optional) }
}
