import ArgumentParser
import Foundation

/// The domains compiled into this program, validated and ordered by their dependencies.
/// A plain value built in one place (Apps/vigil); tests build their own with any subset.
/// The initializer throws `RegistryError`.
public struct DomainRegistry: Sendable {
    /// Modules in dependency order: a module comes after everything it depends on.
    public let modules: [any DomainModule.Type]

    public init(_ types: [any DomainModule.Type]) throws {
        // Validation works on plain descriptions: control flow over opened existential metatypes
        // crashes Swift 6.3.1's SILGen.
        let descriptions = types.map(ModuleDescription.init)
        try DomainRegistry.validate(descriptions)
        guard let order = DomainRegistry.dependencyOrder(descriptions) else {
            throw RegistryError.dependencyCycle(descriptions.map(\.id).sorted())
        }
        self.modules = order.map { types[$0] }
    }

    private struct ModuleDescription {
        let id: DomainID
        let typeName: String
        let dependencies: [DomainDependency]
        let permissions: [PermissionDescriptor]
        let roles: [RoleDescriptor]
        let roleGrants: [Role: [Permission]]
        let eventTypes: [String]

        init(_ type: any DomainModule.Type) {
            id = type.id
            typeName = String(describing: type)
            dependencies = type.dependencies
            permissions = type.permissions
            roles = type.roles
            roleGrants = type.roleGrants
            eventTypes = type.events.map { $0.eventType }
        }
    }

    private static func validate(_ modules: [ModuleDescription]) throws {
        var byID: [DomainID: ModuleDescription] = [:]
        for module in modules {
            if module.id == .platform { throw RegistryError.reservedID(module.id, module.typeName) }
            if let existing = byID[module.id] {
                throw RegistryError.duplicateID(module.id, [existing.typeName, module.typeName])
            }
            byID[module.id] = module
        }
        var roleOwners: [Role: String] = Dictionary(uniqueKeysWithValues: PlatformPermissions.roles.map { ($0.role, DomainID.platform.rawValue) })
        for module in modules {
            for descriptor in module.roles {
                guard descriptor.role.isWellFormed else { throw RegistryError.malformedRole(domain: module.id, role: descriptor.role) }
                if let owner = roleOwners[descriptor.role] {
                    throw RegistryError.duplicateRole(descriptor.role, [owner, module.id.rawValue])
                }
                roleOwners[descriptor.role] = module.id.rawValue
            }
            for type in module.eventTypes where !type.hasPrefix(module.id.rawValue + ".") {
                throw RegistryError.foreignEventType(domain: module.id, eventType: type)
            }
        }
        for module in modules {
            for dependency in module.dependencies where dependency.strength == .required && byID[dependency.domain] == nil {
                throw RegistryError.missingDependency(domain: module.id, requires: dependency.domain)
            }
            for descriptor in module.permissions where !descriptor.permission.rawValue.hasPrefix(module.id.rawValue + ".") {
                throw RegistryError.foreignPermission(domain: module.id, permission: descriptor.permission)
            }
            let declared = Set(module.permissions.map(\.permission))
            for (role, granted) in module.roleGrants.sorted(by: { $0.key < $1.key }) {
                for permission in granted where !declared.contains(permission) && !PlatformPermissions.grantableByDomains.contains(permission) {
                    throw RegistryError.undeclaredGrant(domain: module.id, role: role, permission: permission)
                }
            }
        }
    }

    /// Kahn's algorithm, taking ready modules in the order they were listed so the result is stable;
    /// nil when the dependencies form a cycle.
    private static func dependencyOrder(_ modules: [ModuleDescription]) -> [Int]? {
        let present = Set(modules.map { $0.id })
        var remaining = Array(modules.indices)
        var placed: Set<DomainID> = []
        var ordered: [Int] = []
        while !remaining.isEmpty {
            let ready = remaining.firstIndex { index in
                modules[index].dependencies.allSatisfy { placed.contains($0.domain) || !present.contains($0.domain) }
            }
            guard let position = ready else { return nil }
            let index = remaining.remove(at: position)
            placed.insert(modules[index].id)
            ordered.append(index)
        }
        return ordered
    }

    public var ids: [DomainID] { modules.map { $0.id } }

    public func module(_ id: DomainID) -> (any DomainModule.Type)? {
        modules.first { $0.id == id }
    }

    public func contains(_ id: DomainID) -> Bool { module(id) != nil }

    /// Every permission: the platform's own, then each domain's.
    public var permissions: [PermissionDescriptor] {
        PlatformPermissions.all + modules.flatMap { $0.permissions }
    }

    /// The roles of this build and the permissions each holds.
    public var roleCatalog: RoleCatalog {
        let roles = PlatformPermissions.roles.map { (DomainID.platform, $0) } + modules.flatMap { module in module.roles.map { (module.id, $0) } }
        return RoleCatalog(permissions: permissions, roles: roles, grants: [PlatformPermissions.roleGrants] + modules.map { $0.roleGrants })
    }

    /// Grants naming a role that no domain of this build declares, "domain → role" (dropped by
    /// the catalog; in the full build every one is a mistake, and a test says so).
    public var grantsToUndeclaredRoles: [String] {
        let known = Set(roleCatalog.roles.map(\.descriptor.role)).union([.everyRole])
        return modules.flatMap { module in
            module.roleGrants.keys.filter { !known.contains($0) }.map { "\(module.id) → \($0)" }
        }.sorted()
    }

    /// What the domains contribute once built, checked before anything is mounted: operation ids
    /// and routes unique within a domain, one provider per capability.
    public static func validate(contributions modules: [any DomainModule]) throws(RegistryError) {
        var providers: [ObjectIdentifier: DomainID] = [:]
        for module in modules {
            let id = type(of: module).id
            var operations: Set<String> = []
            var routes: Set<String> = []
            for endpoint in module.endpoints() {
                if !operations.insert(endpoint.operationID).inserted { throw RegistryError.duplicateOperationID(domain: id, operationID: endpoint.operationID) }
                let route = "\(endpoint.method.rawValue) \(endpoint.path)"
                if !routes.insert(route).inserted { throw RegistryError.duplicateRoute(domain: id, route: route) }
            }
            for capability in module.capabilities() {
                if let other = providers[capability.key] { throw RegistryError.duplicateCapability(capability.name, [other, id]) }
                providers[capability.key] = id
            }
        }
    }

    /// Migrations of every domain in registry order, each tagged with its domain.
    public var migrations: [(domain: DomainID, migration: Migration)] {
        modules.flatMap { module in module.migrations.map { (module.id, $0) } }
    }
}

public enum RegistryError: Error, Equatable, CustomStringConvertible {
    case duplicateID(DomainID, [String])
    case reservedID(DomainID, String)
    case missingDependency(domain: DomainID, requires: DomainID)
    case dependencyCycle([DomainID])
    case foreignPermission(domain: DomainID, permission: Permission)
    case undeclaredGrant(domain: DomainID, role: Role, permission: Permission)
    case duplicateRole(Role, [String])
    case malformedRole(domain: DomainID, role: Role)
    case foreignEventType(domain: DomainID, eventType: String)
    case duplicateOperationID(domain: DomainID, operationID: String)
    case duplicateRoute(domain: DomainID, route: String)
    case duplicateCapability(String, [DomainID])

    public var description: String {
        switch self {
        case .duplicateID(let id, let types):
            "two domains claim the id '\(id)': \(types.joined(separator: " and ")); each id must be unique"
        case .reservedID(let id, let type):
            "\(type) uses the id '\(id)', which is reserved for the platform"
        case .missingDependency(let domain, let requires):
            "domain '\(domain)' requires domain '\(requires)', which is not in this build; add it or drop '\(domain)'"
        case .dependencyCycle(let ids):
            "domains depend on each other in a cycle: \(ids.map(\.rawValue).joined(separator: ", "))"
        case .foreignPermission(let domain, let permission):
            "domain '\(domain)' declares permission '\(permission)', which is outside its namespace '\(domain).'"
        case .undeclaredGrant(let domain, let role, let permission):
            "domain '\(domain)' grants role '\(role)' the undeclared permission '\(permission)'"
        case .duplicateRole(let role, let owners):
            "role '\(role)' is declared by both \(owners.joined(separator: " and ")); one domain introduces a role, others grant to it"
        case .malformedRole(let domain, let role):
            "domain '\(domain)' declares role '\(role)'; a role is 2 to 40 lower-case letters, digits and dashes, starting with a letter"
        case .foreignEventType(let domain, let eventType):
            "domain '\(domain)' publishes event type '\(eventType)', which is outside its namespace '\(domain).'"
        case .duplicateOperationID(let domain, let operationID):
            "domain '\(domain)' declares operation id '\(operationID)' twice; each endpoint needs its own"
        case .duplicateRoute(let domain, let route):
            "domain '\(domain)' declares the route '\(route)' twice"
        case .duplicateCapability(let name, let domains):
            "capability \(name) is provided by both '\(domains[0])' and '\(domains[1])'; a capability has one provider per build"
        }
    }
}
