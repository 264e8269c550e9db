import Calendars
import Foundation
import IncidentOps
import Kernel
import SQLKit
import Testing
import VigilStorage
import VigilTesting

@Suite struct CoverageTests {
    @Test func coverageShowsWhoIsOnEachHourTheGapsAndLastWeeksDemand() async throws {
        let test = try await TestRuntime.make(domains: [IncidentOpsModule.self])
        let context = test.runtime.context(for: IncidentOpsModule.id)
        let desk = DeskService(context: context)
        let cases = CaseService(context: context)
        let sp = RegionCode("BR-SP")!
        for email in ["a@x.com", "b@x.com", "c@x.com"] { _ = try await test.user(email, roles: [.analyst], regions: .only([sp])) }
        _ = try await desk.setAnalyst(AnalystInput(email: "a@x.com", region: "BR-SP", skills: [], languages: ["pt-BR"], capacity: 5), by: test.system())
        _ = try await desk.setAnalyst(AnalystInput(email: "b@x.com", region: "BR-SP", skills: [], languages: ["pt-BR"], capacity: 7), by: test.system())
        // Demand: three cases in this hour, one week before the period looked at.
        for _ in 0..<3 { _ = try await cases.open(CaseIntakeTests.input(severity: "S4"), by: test.system()) }
        test.clock.advance(by: 7 * 86_400)
        let hour = Date(epochMicros: (test.clock.now().epochMicros / 3_600_000_000) * 3_600_000_000)
        func at(_ hours: Double) -> Date { hour.addingTimeInterval(hours * 3600) }
        _ = try await desk.addShift(ShiftInput(email: "a@x.com", region: "BR-SP", role: "analyst", startsAt: at(0), endsAt: at(8)), by: test.system())
        _ = try await desk.addShift(ShiftInput(email: "b@x.com", region: "BR-SP", role: "analyst", startsAt: at(4), endsAt: at(12)), by: test.system())
        _ = try await desk.addShift(ShiftInput(email: "c@x.com", region: "BR-SP", role: "coordinator", startsAt: at(0), endsAt: at(4)), by: test.system())

        let slots = try await CoverageService(context: context).coverage(region: sp, from: nil, to: at(12), by: test.runtime.systemPrincipal("t"))
        #expect(slots.count == 12 && slots[0].from == hour && slots[11].to == at(12))
        #expect(slots.map(\.analysts) == [1, 1, 1, 1, 2, 2, 2, 2, 1, 1, 1, 1])
        #expect(slots.map(\.capacity) == [5, 5, 5, 5, 12, 12, 12, 12, 7, 7, 7, 7])
        #expect(slots.map(\.coordinators) == [1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0])
        #expect(slots[0].gaps == ["no specialist"] && slots[4].gaps == ["no specialist", "no coordinator"])
        #expect(slots[0].expectedCases == 0.75 && slots[1...].allSatisfy { $0.expectedCases == 0 })
        await #expect(throws: VigilError.self) {
            try await CoverageService(context: context).coverage(region: sp, from: at(0), to: at(24 * 15), by: test.runtime.systemPrincipal("t"))
        }
        await test.close()
    }

    @Test func aThreeByEightRotationCoversEveryHourWithOneTeamResting() async throws {
        let test = try await TestRuntime.make(domains: [IncidentOpsModule.self])
        let context = test.runtime.context(for: IncidentOpsModule.id)
        let desk = DeskService(context: context)
        let sp = RegionCode("BR-SP")!
        let emails = ["a@x.com", "b@x.com", "c@x.com", "d@x.com"]
        for email in emails { _ = try await test.user(email, roles: [.analyst], regions: .only([sp])) }
        let auditBefore = try await test.count("vigil_audit")
        let unknownPerson = RotationInput(region: "BR-SP", role: "analyst", emails: emails + ["ghost@x.com"], startDate: "2026-12-01", days: 14)
        let invocation = test.system()
        await #expect(throws: VigilError.self) { () async throws in _ = try await desk.addRotation(unknownPerson, by: invocation) }
        let badShape = RotationInput(
            region: "BR-SP", role: "analyst", emails: emails, startDate: "2026-12-01", days: 14, shiftsPerDay: 5, firstShiftStarts: "25:00")
        let failure = await #expect(throws: VigilError.self) { () async throws in _ = try await desk.addRotation(badShape, by: invocation) }
        let fields = Set((failure?.fields ?? []).map { $0.field })
        #expect(fields == ["shiftsPerDay", "firstShiftStarts"])
        let shiftsBefore = try await test.count("incident_shifts")
        let auditAfterFailures = try await test.count("vigil_audit")
        #expect(shiftsBefore == 0 && auditAfterFailures == auditBefore)

        let shifts = try await desk.addRotation(
            RotationInput(region: "BR-SP", role: "analyst", emails: emails, startDate: "2026-12-01", days: 14), by: invocation)
        let auditAfter = try await test.count("vigil_audit")
        #expect(shifts.count == 42 && auditAfter == auditBefore + 42)
        // Day one: a 06:00–14:00 (09:00Z), b 14:00–22:00, c 22:00–06:00, d rests; a week later each moves on.
        let people = try await test.runtime.database.sql.raw("SELECT id, email FROM vigil_users").all().reduce(into: [String: String]()) {
            $0[try $1.decode(column: "id", as: String.self).lowercased()] = try $1.decode(column: "email", as: String.self)
        }
        func who(_ instant: String) -> [String] {
            let at = ISO8601.parse(instant)!
            return shifts.filter { $0.startsAt <= at && $0.endsAt > at }.compactMap { people[$0.userId] }
        }
        #expect(who("2026-12-01T09:00:00Z") == ["a@x.com"] && who("2026-12-01T17:00:00Z") == ["b@x.com"] && who("2026-12-02T01:00:00Z") == ["c@x.com"])
        #expect(who("2026-12-08T09:00:00Z") == ["d@x.com"] && who("2026-12-08T17:00:00Z") == ["a@x.com"] && who("2026-12-09T01:00:00Z") == ["b@x.com"])
        let slots = try await CoverageService(context: context).coverage(
            region: sp, from: ISO8601.parse("2026-12-01T09:00:00Z"),
            to: ISO8601.parse("2026-12-15T09:00:00Z"), by: test.runtime.systemPrincipal("t"))
        #expect(slots.count == 14 * 24 && slots.allSatisfy { $0.analysts == 1 })
        await test.close()
    }

    @Test func workloadCountsLoadAndSLATroublePerAnalystAndHidesSensitiveCasesFromAnalysts() async throws {
        let test = try await TestRuntime.make(domains: [IncidentOpsModule.self])
        let context = test.runtime.context(for: IncidentOpsModule.id)
        let desk = DeskService(context: context)
        let cases = CaseService(context: context)
        let sp = RegionCode("BR-SP")!
        let ana = try await test.user("ana@x.com", roles: [.analyst], regions: .only([sp]))
        let coordinator = try await test.user("coord@x.com", roles: [.shiftCoordinator], regions: .only([sp]))
        _ = try await desk.setAnalyst(
            AnalystInput(email: "ana@x.com", region: "BR-SP", skills: [], languages: ["pt-BR"], capacity: 5, sensitiveOK: true), by: test.system())
        let now = test.clock.now()
        _ = try await desk.addShift(
            ShiftInput(email: "ana@x.com", region: "BR-SP", role: "analyst", startsAt: now, endsAt: now.addingTimeInterval(8 * 3600)), by: test.system())
        // No queues: every case waits unassigned until assigned by hand.
        let urgent = try await cases.open(CaseIntakeTests.input(severity: "S1"), by: test.system())
        let routine = try await cases.open(CaseIntakeTests.input(severity: "S4"), by: test.system())
        let secret = try await cases.open(CaseIntakeTests.input(severity: "S4", sensitive: true), by: test.system())
        _ = try await cases.open(CaseIntakeTests.input(severity: "S4"), by: test.system())
        for incident in [urgent, routine, secret] {
            _ = try await cases.assign(incident.id, to: "ana@x.com", expectedVersion: incident.version, by: test.system())
        }
        // S1's acknowledge clock (5 min) breaches; S4's (4 h) is not yet at warning.
        test.clock.advance(by: 6 * 60)
        try await SLAScannerProbe.scan(context)

        let service = CoverageService(context: context)
        let full = try await service.workload(region: sp, by: coordinator.principal)
        let row = try #require(full.analysts.first { $0.analyst == "user:ana@x.com" })
        #expect(row.onShift && row.activeCases == 3 && row.capacity == 5 && row.oldestOpenAt == now.roundedToMicros)
        #expect(row.slaBreached == 1 && row.slaAtRisk == 0)
        // At 13 minutes S1's first action (15 min) is past its warning (80%): at risk.
        test.clock.advance(by: 7 * 60)
        try await SLAScannerProbe.scan(context)
        let later = try await service.workload(region: sp, by: coordinator.principal).analysts.first { $0.analyst == "user:ana@x.com" }
        #expect(later?.slaBreached == 1 && later?.slaAtRisk == 1)
        #expect(full.queues.map(\.waiting) == [1] && full.queues.map(\.open) == [4])
        let plain = try await service.workload(region: sp, by: ana.principal)
        #expect(plain.analysts.first { $0.analyst == "user:ana@x.com" }?.activeCases == 2)
        #expect(plain.queues.map(\.open) == [3])
        await test.close()
    }
}
