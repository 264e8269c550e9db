import Calendars
import Foundation
import IncidentOps
import JSONCoding
import Kernel
import SQLKit
import Testing
import VigilStorage
import VigilTesting

@Suite struct BusinessCalendarTests {
    // 2026-01-16 is a Friday; São Paulo is UTC-3 all year.
    let fridayNoonSaoPaulo = Date(timeIntervalSince1970: 1_768_575_600)  // 2026-01-16T15:00:00Z
    @Test func addingSkipsEveningsWeekendsAndHolidays() {
        let calendar = SLACalendar.businessHours(timeZone: "America/Sao_Paulo", holidays: ["2026-01-19"])
        // Six working hours left on Friday at noon; eight hours of work end Tuesday 11:00 local
        // (Monday the 19th is a holiday here).
        let due = calendar.add(8 * 3600, to: fridayNoonSaoPaulo)
        #expect(ISO8601.format(due) == "2026-01-20T14:00:00.000Z")
        #expect(calendar.seconds(from: fridayNoonSaoPaulo, to: due) == 8 * 3600)
        // Starting on Saturday counts from Tuesday's opening.
        let saturday = fridayNoonSaoPaulo.addingTimeInterval(86_400)
        #expect(ISO8601.format(calendar.add(60, to: saturday)) == "2026-01-20T12:01:00.000Z")
        #expect(calendar.seconds(from: saturday, to: saturday.addingTimeInterval(2 * 86_400)) == 0)
    }

    /// A clock started before the shared calendar stored the desk's own hours, weekdays counted
    /// from Sunday; it still reads as Monday to Friday and counts the same.
    @Test func aClockStoredWithTheOldSundayFirstHoursReadsAsTheSameCalendar() throws {
        let stored =
            #"{"business":{"_0":{"timeZone":"America/Sao_Paulo","weekdays":[2,3,4,5,6],"opensMinute":540,"closesMinute":1080,"holidays":["2026-01-19"]}}}"#
        let old = try VigilJSON.decoder.decode(SLACalendar.self, from: Data(stored.utf8))
        let now = SLACalendar.businessHours(timeZone: "America/Sao_Paulo", holidays: ["2026-01-19"])
        #expect(old == now)
        #expect(old.label == "business(America/Sao_Paulo, 9:00-18:00 ISO weekdays [1, 2, 3, 4, 5])")
        let again = try VigilJSON.decoder.decode(SLACalendar.self, from: VigilJSON.encoder.encode(now))
        #expect(again == now)
        #expect(try VigilJSON.decoder.decode(SLACalendar.self, from: VigilJSON.encoder.encode(SLACalendar.always)) == .always)
        #expect(String(decoding: try VigilJSON.encoder.encode(SLACalendar.always), as: UTF8.self) == #"{"always":{}}"#)
    }

    @Test func alwaysCountsWallTime() {
        #expect(SLACalendar.always.add(90, to: fridayNoonSaoPaulo) == fridayNoonSaoPaulo.addingTimeInterval(90))
        #expect(SLACalendar.always.seconds(from: fridayNoonSaoPaulo, to: fridayNoonSaoPaulo.addingTimeInterval(-5)) == 0)
    }
}

@Suite struct SLAClockTests {
    func withDesk(_ engine: TestEngine = .sqlite, _ body: (TestRuntime, CaseService) async throws -> Void) async throws {
        let test = try await TestRuntime.make(engine, domains: [IncidentOpsModule.self])
        do {
            try await body(test, CaseService(context: test.runtime.context(for: IncidentOpsModule.id)))
        } catch {
            await test.close()
            throw error
        }
        await test.close()
    }

    func clock(_ kind: String, of id: String, _ cases: CaseService, _ test: TestRuntime) async throws -> SLAClockView {
        try #require(try await cases.clocks(id, by: test.runtime.systemPrincipal("t")).first { $0.clock == kind })
    }

    func scan(_ test: TestRuntime) async throws -> (warnings: Int, breaches: Int) {
        let module = IncidentOpsModule(context: test.runtime.context(for: IncidentOpsModule.id))
        try await module.jobs()[0].run()
        let breaches = try await OutboxStore(database: test.runtime.database).events(after: 0, types: [SLABreached.eventType], limit: 100).count
        let warnings = try await OutboxStore(database: test.runtime.database).events(after: 0, types: [SLAWarning.eventType], limit: 100).count
        return (warnings, breaches)
    }

    @Test(arguments: TestEngine.available)
    func waitingPausesTheClockAndABreachDuringThePauseNeverFires(_ engine: TestEngine) async throws {
        try await withDesk(engine) { test, cases in
            // Built-in S2: acknowledge 15 min, first action 60 min, resolve 24 h, warning at 80%.
            let incident = try await cases.open(CaseIntakeTests.input(severity: "S2"), by: test.system())
            test.clock.advance(by: 600)
            _ = try await cases.transition(incident.id, TransitionInput(to: "waiting", waitingOn: "reporter"), expectedVersion: 1, by: test.system())
            #expect(try await clock("acknowledge", of: incident.id, cases, test).state == "met")
            #expect(try await clock("resolve", of: incident.id, cases, test).state == "paused")
            test.clock.advance(by: 3 * 86_400)
            #expect(try await scan(test) == (0, 0))
            #expect(try await clock("resolve", of: incident.id, cases, test).elapsedSeconds == 600)
            _ = try await cases.transition(incident.id, TransitionInput(to: "in-progress"), expectedVersion: 2, by: test.system())
            let resumed = try await clock("resolve", of: incident.id, cases, test)
            #expect(resumed.state == "running" && resumed.dueAt == test.clock.now().addingTimeInterval(86_400 - 600).roundedToMicros)
            // 80% of 24 h is 19.2 h of counted time: 10 min before the pause, 19 h 2 min after.
            test.clock.advance(by: 19 * 3600 + 60)
            #expect(try await scan(test) == (0, 0))
            test.clock.advance(by: 120)
            #expect(try await scan(test) == (1, 0))
            test.clock.advance(by: 5 * 3600)
            #expect(try await scan(test) == (1, 1))
            let breached = try await clock("resolve", of: incident.id, cases, test)
            #expect(breached.breachedAt == resumed.dueAt)
            #expect(breached.pauses == 1)
            #expect(try await scan(test) == (1, 1))  // recorded once
            let check = try await cases.checkClocks(incident.id, by: test.runtime.systemPrincipal("t"))
            #expect(check.mismatches.isEmpty, "\(check.mismatches)")
            let kinds = try await cases.timeline(incident.id, page: PageRequest(limit: 200), by: test.runtime.systemPrincipal("t")).items.filter {
                $0.kind == .sla
            }
            #expect(kinds.count == 4)  // paused and stopped, resumed, warning, breached
        }
    }

    @Test func breachThatHappenedWhileTheServerWasDownIsDetectedAtStart() async throws {
        var test = try await TestRuntime.make(domains: [IncidentOpsModule.self])
        let cases = CaseService(context: test.runtime.context(for: IncidentOpsModule.id))
        let incident = try await cases.open(CaseIntakeTests.input(severity: "S1"), by: test.system())
        let due = try #require(try await clock("acknowledge", of: incident.id, cases, test).dueAt)
        // The server is down for an hour; S1's acknowledge (5 min) and first action (15 min) pass.
        test.clock.advance(by: 3600)
        test = try await test.restarted(domains: [IncidentOpsModule.self])
        let server = try await LiveServer.start(test.runtime)
        var events: [DomainEvent] = []
        for _ in 0..<100 where events.count < 2 {
            events = try await OutboxStore(database: test.runtime.database).events(after: 0, types: [SLABreached.eventType], limit: 10)
            try await Task.sleep(for: .milliseconds(50))
        }
        try await server.stop()
        let acknowledge = try #require(try events.compactMap { try $0.decode(SLABreached.self) }.first { $0.clock == "acknowledge" })
        #expect(acknowledge.breachedAt == due)
        #expect(acknowledge.detectedAt == test.clock.now().roundedToMicros)
        #expect(Set(try events.compactMap { try $0.decode(SLABreached.self)?.clock }) == ["acknowledge", "first-action"])
        await test.close()
    }

    @Test func policiesApplyToNewCasesAndTheCheckCatchesATamperedClock() async throws {
        try await withDesk { test, cases in
            let policies = SLAPolicyService(context: test.runtime.context(for: IncidentOpsModule.id))
            _ = try await policies.set(
                SLAPolicyInput(
                    region: "BR-SP", businessLine: "drivers", severity: "S2", acknowledgeMinutes: 2, firstActionMinutes: 10, resolveMinutes: 120,
                    warningPercent: 50), by: test.system())
            let bad = await #expect(throws: VigilError.self) {
                try await policies.set(
                    SLAPolicyInput(region: "BR-SP", businessLine: "drivers", severity: "S9", acknowledgeMinutes: 0, firstActionMinutes: 10, resolveMinutes: 5),
                    by: test.system())
            }
            let badFields = Set(bad?.fields.map { $0.field } ?? [])
            #expect(badFields == ["severity", "acknowledgeMinutes", "resolveMinutes"])
            let incident = try await cases.open(CaseIntakeTests.input(severity: "S2"), by: test.system())
            #expect(try await clock("acknowledge", of: incident.id, cases, test).targetSeconds == 120)
            let listed = try await policies.list(region: RegionCode("BR-SP"), by: test.runtime.systemPrincipal("t"))
            #expect(listed.count == 12 && listed.filter { !$0.isDefault }.count == 1)
            _ = try await cases.acknowledge(incident.id, by: test.system())
            #expect(try await clock("acknowledge", of: incident.id, cases, test).state == "met")
            #expect(try await cases.checkClocks(nil, by: test.runtime.systemPrincipal("t")).mismatches.isEmpty)
            try await test.runtime.database.sql.raw("UPDATE incident_sla_clocks SET pauses = 3 WHERE case_id = \(bind: incident.id) AND kind = 'resolve'").run()
            let tampered = try await cases.checkClocks(incident.id, by: test.runtime.systemPrincipal("t"))
            #expect(tampered.mismatches.map(\.field) == ["pauses"])
        }
    }
}
