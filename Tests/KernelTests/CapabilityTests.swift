import IncidentOps
import Kernel
import Testing

private protocol ShiftCalendar: Sendable { func isOnShift(_ person: String) -> Bool }
private protocol NobodyProvidesThis: Sendable { func value() -> Int }
private struct AlwaysOnShift: ShiftCalendar { func isOnShift(_ person: String) -> Bool { true } }

@Suite struct CapabilityTests {
    @Test func providedCapabilityIsFoundAndAbsentOneIsNil() {
        let directory = CapabilityDirectory()
        directory.register(ProvidedCapability((any ShiftCalendar).self, AlwaysOnShift()))
        #expect(directory.lookup((any ShiftCalendar).self)?.isOnShift("ana") == true)
        #expect(directory.lookup((any NobodyProvidesThis).self) == nil)
        #expect(directory.offered.count == 1)
    }

    @Test func principalScopesRegions() {
        let scoped = Principal(
            kind: .user, userID: nil, displayName: "a", actor: "user:a", roles: [.analyst], permissions: [], regions: .only([RegionCode("BR-SP")!]))
        #expect(scoped.canAccess(RegionCode("BR-SP")!))
        #expect(!scoped.canAccess(RegionCode("MX-CMX")!))
        let global = Principal(
            kind: .user, userID: nil, displayName: "b", actor: "user:b", roles: [.auditor], permissions: [PlatformPermissions.allRegions], regions: .only([]))
        #expect(global.canAccess(RegionCode("MX-CMX")!))
        #expect(throws: VigilError.self) { try scoped.require("incident-ops.case.read") }
    }
}
