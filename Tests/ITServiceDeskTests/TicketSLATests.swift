import Calendars
import Foundation
import ITServiceDesk
import Kernel
import Testing
import VigilTesting

/// Ticket clocks on the office's business calendar: weekends, national and site holidays and
/// pauses count nothing; a resumed ticket's deadline is worked out from the time it had left.
@Suite struct TicketSLATests {
    @Test(arguments: TestEngine.available)
    func resolveClockSkipsWeekendCarnivalASiteHolidayAndAPause(_ engine: TestEngine) async throws {
        let desk = try await ITDeskFixture.make(engine)
        // Thursday after Carnival: the office is closed.
        _ = try await desk.sites.addHoliday(site: "SP-HQ", date: LocalDate("2026-02-19")!, name: "Office closure", by: desk.test.system())
        // Friday 13 February 2026, 17:00 in São Paulo. P3: 60 business minutes to own, 24 business hours to resolve.
        let ticket = try await desk.incident()
        #expect(ticket.priority == "P3")
        let own = try #require(ticket.clock(.own))
        let resolve = try #require(ticket.clock(.resolve))
        // One working hour left on Friday: own is due at 18:00.
        #expect(own.dueAt == ISO8601.parse("2026-02-13T21:00:00Z"))
        // 1 h Friday; Monday 16 and Tuesday 17 are Carnival; 9 h Wednesday; Thursday closed; 9 h
        // Friday 20; 5 h Monday 23 → 14:00 local.
        #expect(resolve.dueAt == ISO8601.parse("2026-02-23T17:00:00Z"))
        #expect(resolve.state == .running)

        // Wednesday 10:00: work starts, late for owning (it was due on Friday at 18:00): 1 h Friday, 1 h Wednesday.
        desk.at("2026-02-18T13:00:00Z")
        let started = try await desk.move(ticket, to: .inProgress)
        let ownStopped = try #require(started.clock(.own))
        #expect(ownStopped.state == .breached && ownStopped.breachedAt == ISO8601.parse("2026-02-13T21:00:00Z") && ownStopped.spentSeconds == 2 * 3600)

        // Wednesday 12:00: waiting for the vendor; 1 h Friday + 3 h Wednesday spent.
        desk.at("2026-02-18T15:00:00Z")
        let paused = try await desk.move(started, to: .pending, note: "waiting-vendor")
        let pausedClock = try #require(paused.clock(.resolve))
        #expect(pausedClock.state == .paused && pausedClock.spentSeconds == 4 * 3600 && pausedClock.dueAt == nil)
        // Long after the old deadline, the scanner finds nothing: a paused clock does not breach.
        desk.at("2026-02-23T12:00:00Z")
        #expect(try await TicketSLAScanner(context: desk.context).scan() == 0)

        // Monday 23, 10:00: resumed with 20 h left: 8 h Monday, 9 h Tuesday, 3 h Wednesday → 12:00.
        desk.at("2026-02-23T13:00:00Z")
        let resumed = try await desk.move(paused, to: .inProgress)
        #expect(resumed.clock(.resolve)?.dueAt == ISO8601.parse("2026-02-25T15:00:00Z"))
        #expect(resumed.pendingReason == nil)

        // Tuesday 11:00: resolved in time, 14 business hours spent in all.
        desk.at("2026-02-24T14:00:00Z")
        let resolved = try await desk.move(resumed, to: .resolved, note: "Replaced the SSD")
        let done = try #require(resolved.clock(.resolve))
        #expect(done.state == .met && done.spentSeconds == 14 * 3600 && done.stoppedAt == ISO8601.parse("2026-02-24T14:00:00Z"))
        await desk.close()
    }

    @Test func scannerMarksBreachesOnceAndPublishesThem() async throws {
        // Monday 2 March 2026, 09:00 in São Paulo.
        let desk = try await ITDeskFixture.make(at: ISO8601.parse("2026-03-02T12:00:00Z")!)
        let urgent = try await desk.incident(impact: 1, urgency: 1, title: "Whole office offline")
        #expect(urgent.priority == "P1" && urgent.clock(.own)?.dueAt == ISO8601.parse("2026-03-02T12:15:00Z"))
        desk.at("2026-03-02T12:14:59Z")
        #expect(try await TicketSLAScanner(context: desk.context).scan() == 0)
        desk.at("2026-03-02T12:20:00Z")
        #expect(try await TicketSLAScanner(context: desk.context).scan() == 1)
        #expect(try await TicketSLAScanner(context: desk.context).scan() == 0)
        let seen = try await desk.tickets.get(urgent.reference, by: desk.test.runtime.systemPrincipal("t"))
        #expect(seen.clock(.own)?.state == .breached && seen.clock(.resolve)?.state == .running)
        let events = try await desk.test.runtime.database.sql.raw("SELECT type FROM vigil_outbox WHERE type = 'it-service-desk.ticket.sla-breached'").all()
        #expect(events.count == 1)
        let history = try await desk.tickets.history(urgent.id, by: desk.test.runtime.systemPrincipal("t"))
        #expect(history.items.map(\.kind.rawValue).contains("sla-breach"))
        await desk.close()
    }

    @Test func siteCalendarListsNationalAndSiteHolidaysOverHTTP() async throws {
        let desk = try await ITDeskFixture.make()
        let server = try await LiveServer.start(desk.test.runtime)
        let manager = try await desk.test.user("it.lead@x.com", roles: [.itManager], regions: .only([desk.sp]))
        let client = TestClient(baseURL: server.baseURL, token: manager.token)
        let added = try await client.post("/api/it-service-desk/sites/SP-HQ/holidays", #"{"date":"2026-01-25","name":"Aniversário de São Paulo"}"#)
        #expect(added.status == 200)
        let bad = try await client.post("/api/it-service-desk/sites/SP-HQ/holidays", #"{"date":"2026-02-30","name":"Nope"}"#)
        #expect(bad.status == 422 && bad.problemFields == ["date:format"])
        let y2026 = try await client.get("/api/it-service-desk/sites/SP-HQ/calendar?year=2026").decode(SiteCalendar.self)
        let days = Dictionary(y2026.holidays.map { ($0.date.description, $0) }) { first, _ in first }
        #expect(days["2026-02-16"]?.source == "national" && days["2026-02-17"]?.source == "national")
        #expect(days["2026-04-03"] != nil && days["2026-06-04"] != nil && days["2026-11-20"] != nil)
        #expect(days["2026-01-25"]?.source == "site")
        let y2025 = try await client.get("/api/it-service-desk/sites/SP-HQ/calendar?year=2025").decode(SiteCalendar.self)
        #expect(y2025.holidays.contains { $0.date.description == "2025-03-04" } && !y2025.holidays.contains { $0.date.description == "2025-01-25" })
        let y2027 = try await client.get("/api/it-service-desk/sites/SP-HQ/calendar?year=2027").decode(SiteCalendar.self)
        #expect(y2027.holidays.contains { $0.date.description == "2027-02-09" } && y2027.holidays.contains { $0.date.description == "2027-05-27" })
        let outsider = try await desk.test.user("mx@x.com", roles: [.itManager], regions: .only([RegionCode("MX-CMX")!]))
        #expect(try await TestClient(baseURL: server.baseURL, token: outsider.token).get("/api/it-service-desk/sites/SP-HQ").status == 404)
        try await server.stop()
        await desk.close()
    }
}
