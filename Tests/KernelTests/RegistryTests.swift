import Kernel
import Testing

private struct Alpha: DomainModule {
    static let id: DomainID = "alpha"
    static let title = "Alpha"
    static var permissions: [PermissionDescriptor] { [.init("alpha.thing.read", "read", readOnly: true), .init("alpha.thing.write", "write")] }
    static var roleGrants: [Role: [Permission]] { [.analyst: ["alpha.thing.read"]] }
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
    static var roleGrants: [Role: [Permission]] { [.analyst: ["overgranter.b"]] }
    init(context: DomainContext) {}
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
        #expect(throws: RegistryError.undeclaredGrant(domain: "overgranter", role: .analyst, permission: "overgranter.b")) {
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
        let catalog = try DomainRegistry([Alpha.self]).roleCatalog
        #expect(catalog.permissions(of: [.analyst]) == ["alpha.thing.read"])
        #expect(catalog.permissions(of: [.admin]).contains("alpha.thing.write"))
        let auditor = catalog.permissions(of: [.auditor])
        #expect(auditor.contains("alpha.thing.read"))
        #expect(!auditor.contains("alpha.thing.write"))
        #expect(auditor.contains(PlatformPermissions.auditRead))
    }
}
