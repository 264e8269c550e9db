import IncidentOps
import ITServiceDesk
import Kernel
import RiderCompliance
import SafetyLiaison
import Testing
import TrainingOps

/// The full build and each region's: every role a domain grants to is declared by some domain of
/// the full build (a typo would silently grant nothing), and a region build drops only grants to
/// the roles of domains it leaves out.
@Suite struct RegistryCompositionTests {
    static let all: [any DomainModule.Type] = [
        IncidentOpsModule.self, RiderComplianceModule.self, TrainingOpsModule.self, ITServiceDeskModule.self, SafetyLiaisonModule.self,
    ]

    @Test func everyGrantInTheFullBuildNamesADeclaredRole() throws {
        let registry = try DomainRegistry(Self.all)
        #expect(registry.grantsToUndeclaredRoles.isEmpty, "\(registry.grantsToUndeclaredRoles)")
        #expect(registry.roleCatalog.roles.count == 10)
    }

    @Test func aRegionBuildKnowsOnlyTheRolesOfItsDomains() throws {
        let colombia = try DomainRegistry([IncidentOpsModule.self])
        #expect(Set(colombia.roleCatalog.roles.map(\.descriptor.role)) == [.admin, .auditor, .analyst, .specialist, .shiftCoordinator])
        #expect(colombia.grantsToUndeclaredRoles == ["incident-ops → safety-manager", "incident-ops → training-coordinator"])
        #expect(!colombia.roleCatalog.isKnown(.itAgent))
    }
}
