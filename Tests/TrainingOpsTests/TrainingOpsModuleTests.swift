import Kernel
import Testing
import VigilStorage
import TrainingOps
import VigilTesting

/// The domain's declaration until its own issue fills it: it registers alone, its permissions
/// live in its namespace, its job's role gets them, the auditor only reads, and its schema
/// migrates on a real database.
@Suite struct TrainingOpsModuleTests {
    @Test func registersAloneAndGrantsItsRoleButNotOthers() throws {
        let registry = try DomainRegistry([TrainingOpsModule.self])
        #expect(registry.ids == ["training-ops"])
        let catalog = registry.roleCatalog
        #expect(catalog.permissions(of: [.trainingCoordinator]).contains("training-ops.course.manage"))
        #expect(!catalog.permissions(of: [.auditor]).contains("training-ops.course.manage"))
        #expect(!catalog.permissions(of: ["analyst"]).contains("training-ops.course.manage"))
        #expect(TrainingOpsModule.permissions.allSatisfy { $0.permission.rawValue.hasPrefix("training-ops.") })
    }

    @Test func runsInARuntimeOfItsOwn() async throws {
        let test = try await TestRuntime.make(domains: [TrainingOpsModule.self])
        #expect(test.runtime.modules.count == 1)
        #expect(
            try await test.runtime.database.sql.raw("SELECT COUNT(*) AS n FROM vigil_migrations").first()?.decode(column: "n", as: Int.self) == PlatformSchema
                .migrations.count + TrainingOpsModule.migrations.count)
        await test.close()
    }
}
