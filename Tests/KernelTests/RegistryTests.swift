import Kernel
import Testing

private struct Alpha: DomainModule {
    static let id: DomainID = "alpha"
    static let title = "Alpha"
    static var permissions: [PermissionDescriptor] { [.init("alpha.thing.read", "read", readOnly: true), .init("alpha.thing.write", "write")] }
    static var roles: [RoleDescriptor] { [.init("alpha-clerk", "Clerk", "Keeps alpha things")] }
    static var roleGrants: [Role: [Permission]] {
        ["alpha-clerk": ["alpha.thing.read"], .everyRole: ["alpha.thing.write"], "nobody-here": ["alpha.thing.write"]]
    }
    init(context: DomainContext) {}
}

private struct AlphaTwin: DomainModule {
    static let id: DomainID = "alpha"
    static let title = "Another alpha"
    init(context: DomainContext) {}
}

private struct Beta: DomainModule {
    static let id: DomainID = "beta"
    static let title = "Beta"
    static var dependencies: [DomainDependency] { [.required("alpha")] }
    init(context: DomainContext) {}
}

private struct Gamma: DomainModule {
    static let id: DomainID = "gamma"
    static let title = "Gamma"
    static var dependencies: [DomainDependency] { [.optional("beta"), .optional("missing")] }
    init(context: DomainContext) {}
}

private struct Cyclic1: DomainModule {
    static let id: DomainID = "cyclic-one"
    static let title = "Cycle 1"
    static var dependencies: [DomainDependency] { [.required("cyclic-two")] }
    init(context: DomainContext) {}
}

private struct Cyclic2: DomainModule {
    static let id: DomainID = "cyclic-two"
    static let title = "Cycle 2"
    static var dependencies: [DomainDependency] { [.required("cyclic-one")] }
    init(context: DomainContext) {}
}

private struct Trespasser: DomainModule {
    static let id: DomainID = "trespasser"
    static let title = "Declares another domain's permission"
    static var permissions: [PermissionDescriptor] { [.init("alpha.thing.read", "not mine")] }
    init(context: DomainContext) {}
}

private struct Overgranter: DomainModule {
    static let id: DomainID = "overgranter"
    static let title = "Grants what it never declared"
    static var permissions: [PermissionDescriptor] { [.init("overgranter.a", "a")] }
    static var roleGrants: [Role: [Permission]] { ["alpha-clerk": ["overgranter.b"]] }
    init(context: DomainContext) {}
}

private struct ClerkTwin: DomainModule {
    static let id: DomainID = "clerk-twin"
    static let title = "Declares alpha's role again"
    static var roles: [RoleDescriptor] { [.init("alpha-clerk", "Clerk", "again")] }
    init(context: DomainContext) {}
}

private struct SelfMadeAuditor: DomainModule {
    static let id: DomainID = "self-made"
    static let title = "Declares the platform's auditor"
    static var roles: [RoleDescriptor] { [.init(.auditor, "Auditor", "mine")] }
    init(context: DomainContext) {}
}

private struct ShoutingRole: DomainModule {
    static let id: DomainID = "shouting"
    static let title = "A role that is not a name"
    static var roles: [RoleDescriptor] { [.init("Field Supervisor", "Field supervisor", "spaces and capitals")] }
    init(context: DomainContext) {}
}

private struct Impostor: DomainModule {
    struct Opened: DomainEventPayload {
        static let eventType = "alpha.thing.opened"
        static let eventVersion = 1
    }
    static let id: DomainID = "impostor"
    static let title = "Publishes alpha's events"
    static var events: [any DomainEventPayload.Type] { [Opened.self] }
    init(context: DomainContext) {}
}

private struct UserReader: DomainModule {
    static let id: DomainID = "user-reader"
    static let title = "Grants its supervisors the user list"
    static var roles: [RoleDescriptor] { [.init("reader-boss", "Boss", "reads users")] }
    static var roleGrants: [Role: [Permission]] { ["reader-boss": [PlatformPermissions.userRead]] }
    init(context: DomainContext) {}
}

private struct TokenGranter: DomainModule {
    static let id: DomainID = "token-granter"
    static let title = "Grants a platform permission it may not"
    static var roleGrants: [Role: [Permission]] { [.everyRole: [PlatformPermissions.tokenManage]] }
    init(context: DomainContext) {}
}

private protocol Weather: Sendable { func forecast() -> String }
private struct Sunny: Weather { func forecast() -> String { "sun" } }

/// Built without a context: `validate(contributions:)` only reads what a module contributes.
private struct Contributor: DomainModule {
    static let id: DomainID = "contributor"
    static let title = "Contributes"
    let operationIDs: [String]
    let paths: [String]
    let offersWeather: Bool
    init(context: DomainContext) { self.init(operationIDs: [], paths: [], offersWeather: false) }
    init(operationIDs: [String], paths: [String], offersWeather: Bool) {
        self.operationIDs = operationIDs
        self.paths = paths
        self.offersWeather = offersWeather
    }
    func endpoints() -> [Endpoint] {
        zip(operationIDs, paths).map { id, path in
            Endpoint(.get, path, operationID: id, summary: id, permission: nil, responses: []) { _ in .noContent }
        }
    }
    func capabilities() -> [ProvidedCapability] { offersWeather ? [ProvidedCapability((any Weather).self, Sunny())] : [] }
}

private struct OtherContributor: DomainModule {
    static let id: DomainID = "other-contributor"
    static let title = "Also offers the weather"
    init(context: DomainContext) {}
    init() {}
    func capabilities() -> [ProvidedCapability] { [ProvidedCapability((any Weather).self, Sunny())] }
}

@Suite struct RegistryTests {
    @Test func duplicateIDIsRejectedNamingBothTypes() {
        #expect {
            try DomainRegistry([Alpha.self, AlphaTwin.self])
        } throws: { error in
            guard case RegistryError.duplicateID(let id, let types)? = error as? RegistryError else { return false }
            return id == "alpha" && types.count == 2 && "\(error)".contains("unique")
        }
    }

    @Test func missingRequiredDependencyIsRejected() {
        #expect(throws: RegistryError.missingDependency(domain: "beta", requires: "alpha")) {
            try DomainRegistry([Beta.self])
        }
    }

    @Test func modulesAreOrderedAfterTheirDependencies() throws {
        let registry = try DomainRegistry([Gamma.self, Beta.self, Alpha.self])
        #expect(registry.ids == ["alpha", "beta", "gamma"])
    }

    @Test func optionalDependencyMayBeAbsent() throws {
        let registry = try DomainRegistry([Gamma.self])
        #expect(registry.ids == ["gamma"])
    }

    @Test func cycleIsRejected() {
        #expect(throws: RegistryError.self) { try DomainRegistry([Cyclic1.self, Cyclic2.self]) }
    }

    @Test func permissionOutsideTheDomainNamespaceIsRejected() {
        #expect(throws: RegistryError.foreignPermission(domain: "trespasser", permission: "alpha.thing.read")) {
            try DomainRegistry([Trespasser.self])
        }
    }

    @Test func grantOfUndeclaredPermissionIsRejected() {
        #expect(throws: RegistryError.undeclaredGrant(domain: "overgranter", role: "alpha-clerk", permission: "overgranter.b")) {
            try DomainRegistry([Overgranter.self])
        }
    }

    @Test func subsetRegistryExposesOnlyItsModules() throws {
        let registry = try DomainRegistry([Alpha.self])
        #expect(registry.contains("alpha"))
        #expect(!registry.contains("beta"))
        #expect(registry.module("beta") == nil)
        let permissions = Set(registry.permissions.map(\.permission))
        #expect(permissions.contains("alpha.thing.write"))
        #expect(permissions.contains(PlatformPermissions.auditRead))
    }

    @Test func rolesResolveToDeclaredGrantsAdminToAllAuditorToReadOnly() throws {
        let registry = try DomainRegistry([Alpha.self])
        let catalog = registry.roleCatalog
        // The clerk gets its own grant and the grant to every role; the auditor is not "every role".
        #expect(catalog.permissions(of: ["alpha-clerk"]) == ["alpha.thing.read", "alpha.thing.write"])
        #expect(catalog.roles.map(\.descriptor.role) == [.admin, .auditor, "alpha-clerk"])
        #expect(catalog.roles.last?.domain == "alpha")
        #expect(catalog.isKnown("alpha-clerk") && !catalog.isKnown("analyst") && !catalog.isKnown("nobody-here"))
        #expect(catalog.permissions(of: ["nobody-here"]).isEmpty)
        #expect(registry.grantsToUndeclaredRoles == ["alpha → nobody-here"])
        #expect(catalog.permissions(of: [.admin]).contains("alpha.thing.write"))
        let auditor = catalog.permissions(of: [.auditor])
        #expect(auditor.contains("alpha.thing.read"))
        #expect(!auditor.contains("alpha.thing.write"))
        #expect(auditor.contains(PlatformPermissions.auditRead))
    }

    @Test func aRoleHasOneDeclaringDomainAndAWellFormedName() {
        #expect(throws: RegistryError.duplicateRole("alpha-clerk", ["alpha", "clerk-twin"])) { try DomainRegistry([Alpha.self, ClerkTwin.self]) }
        #expect(throws: RegistryError.duplicateRole(.auditor, ["vigil", "self-made"])) { try DomainRegistry([SelfMadeAuditor.self]) }
        #expect(throws: RegistryError.malformedRole(domain: "shouting", role: "Field Supervisor")) { try DomainRegistry([ShoutingRole.self]) }
        let message = RegistryError.duplicateRole("alpha-clerk", ["alpha", "clerk-twin"]).description
        #expect(message.contains("alpha and clerk-twin"))
    }

    @Test func aDomainGrantsTheUserListButNoOtherPlatformPermission() throws {
        let catalog = try DomainRegistry([UserReader.self]).roleCatalog
        #expect(catalog.permissions(of: ["reader-boss"]) == [PlatformPermissions.userRead])
        #expect(throws: RegistryError.undeclaredGrant(domain: "token-granter", role: .everyRole, permission: PlatformPermissions.tokenManage)) {
            try DomainRegistry([TokenGranter.self])
        }
    }

    @Test func eventTypesStayInTheDomainsNamespace() {
        #expect(throws: RegistryError.foreignEventType(domain: "impostor", eventType: "alpha.thing.opened")) { try DomainRegistry([Impostor.self]) }
    }

    @Test func contributionsAreUniqueWithinADomainAndCapabilitiesHaveOneProvider() throws {
        try DomainRegistry.validate(contributions: [
            Contributor(operationIDs: ["listThings", "getThing"], paths: ["/things", "/things/{id}"], offersWeather: true)
        ])
        #expect(throws: RegistryError.duplicateOperationID(domain: "contributor", operationID: "listThings")) {
            try DomainRegistry.validate(contributions: [
                Contributor(operationIDs: ["listThings", "listThings"], paths: ["/things", "/stuff"], offersWeather: false)
            ])
        }
        #expect(throws: RegistryError.duplicateRoute(domain: "contributor", route: "GET /things")) {
            try DomainRegistry.validate(contributions: [
                Contributor(operationIDs: ["listThings", "listStuff"], paths: ["/things", "/things"], offersWeather: false)
            ])
        }
        #expect(throws: RegistryError.duplicateCapability(String(describing: (any Weather).self), ["contributor", "other-contributor"])) {
            try DomainRegistry.validate(contributions: [Contributor(operationIDs: [], paths: [], offersWeather: true), OtherContributor()])
        }
    }
}
