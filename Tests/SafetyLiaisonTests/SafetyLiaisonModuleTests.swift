import Kernel
import Testing
import VigilStorage
import SafetyLiaison
import VigilTesting

/// The domain's declaration until its own issue fills it: it registers alone, its permissions
/// live in its namespace, its job's role gets them, the auditor only reads, and its schema
/// migrates on a real database.
@Suite struct SafetyLiaisonModuleTests {
    @Test func registersAloneAndGrantsItsRoleButNotOthers() throws {
        let registry = try DomainRegistry([SafetyLiaisonModule.self])
        #expect(registry.ids == ["safety-liaison"])
        let catalog = registry.roleCatalog
        #expect(catalog.permissions(of: [.safetyManager]).contains("safety-liaison.accident.manage"))
        #expect(!catalog.permissions(of: [.auditor]).contains("safety-liaison.accident.manage"))
        #expect(!catalog.permissions(of: ["analyst"]).contains("safety-liaison.accident.manage"))
        #expect(SafetyLiaisonModule.permissions.allSatisfy { $0.permission.rawValue.hasPrefix("safety-liaison.") })
    }

    @Test func runsInARuntimeOfItsOwn() async throws {
        let test = try await TestRuntime.make(domains: [SafetyLiaisonModule.self])
        #expect(test.runtime.modules.count == 1)
        #expect(
            try await test.runtime.database.sql.raw("SELECT COUNT(*) AS n FROM vigil_migrations").first()?.decode(column: "n", as: Int.self) == PlatformSchema
                .migrations.count + SafetyLiaisonModule.migrations.count)
        await test.close()
    }
}
