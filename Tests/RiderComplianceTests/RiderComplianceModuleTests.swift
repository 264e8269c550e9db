import Kernel
import Testing
import VigilStorage
import RiderCompliance
import VigilTesting

/// The domain's declaration until its own issue fills it: it registers alone, its permissions
/// live in its namespace, its job's role gets them, the auditor only reads, and its schema
/// migrates on a real database.
@Suite struct RiderComplianceModuleTests {
    @Test func registersAloneAndGrantsItsRoleButNotOthers() throws {
        let registry = try DomainRegistry([RiderComplianceModule.self])
        #expect(registry.ids == ["rider-compliance"])
        let catalog = registry.roleCatalog
        #expect(catalog.permissions(of: [.fieldSupervisor]).contains("rider-compliance.inspection.record"))
        #expect(!catalog.permissions(of: [.auditor]).contains("rider-compliance.inspection.record"))
        #expect(!catalog.permissions(of: ["analyst"]).contains("rider-compliance.inspection.record"))
        #expect(RiderComplianceModule.permissions.allSatisfy { $0.permission.rawValue.hasPrefix("rider-compliance.") })
    }

    @Test func runsInARuntimeOfItsOwn() async throws {
        let test = try await TestRuntime.make(domains: [RiderComplianceModule.self])
        #expect(test.runtime.modules.count == 1)
        #expect(
            try await test.runtime.database.sql.raw("SELECT COUNT(*) AS n FROM vigil_migrations").first()?.decode(column: "n", as: Int.self) == PlatformSchema
                .migrations.count + RiderComplianceModule.migrations.count)
        await test.close()
    }
}
