import Kernel
import Testing
import VigilStorage
import ITServiceDesk
import VigilTesting

/// The domain's declaration until its own issue fills it: it registers alone, its permissions
/// live in its namespace, its job's role gets them, the auditor only reads, and its schema
/// migrates on a real database.
@Suite struct ITServiceDeskModuleTests {
    @Test func registersAloneAndGrantsItsRoleButNotOthers() throws {
        let registry = try DomainRegistry([ITServiceDeskModule.self])
        #expect(registry.ids == ["it-service-desk"])
        let catalog = registry.roleCatalog
        #expect(catalog.permissions(of: [.itAgent]).contains("it-service-desk.ticket.work"))
        #expect(!catalog.permissions(of: [.auditor]).contains("it-service-desk.ticket.work"))
        #expect(!catalog.permissions(of: ["analyst"]).contains("it-service-desk.ticket.work"))
        #expect(ITServiceDeskModule.permissions.allSatisfy { $0.permission.rawValue.hasPrefix("it-service-desk.") })
    }

    @Test func runsInARuntimeOfItsOwn() async throws {
        let test = try await TestRuntime.make(domains: [ITServiceDeskModule.self])
        #expect(test.runtime.modules.count == 1)
        #expect(
            try await test.runtime.database.sql.raw("SELECT COUNT(*) AS n FROM vigil_migrations").first()?.decode(column: "n", as: Int.self) == PlatformSchema
                .migrations.count + ITServiceDeskModule.migrations.count)
        await test.close()
    }
}
