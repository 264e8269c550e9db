import Calendars
import Foundation
import ITServiceDesk
import IncidentOps
import Kernel
import VigilTesting

/// A runtime with the IT desk, the São Paulo office (Monday to Friday 09:00-18:00, Brazil's
/// holidays) and its people.
struct ITDeskFixture {
    let test: TestRuntime
    let sp = RegionCode("BR-SP")!
    let sites: SiteService
    let tickets: TicketService
    let groups: GroupService

    static func make(_ engine: TestEngine = .sqlite, at start: Date = ISO8601.parse("2026-02-13T20:00:00Z")!) async throws -> ITDeskFixture {
        // The incident desk is in the build as in Brazil's: its analysts are the company's
        // people who raise IT tickets.
        let test = try await TestRuntime.make(engine, domains: [IncidentOpsModule.self, ITServiceDeskModule.self], clock: FixedWallClock(start))
        let context = test.runtime.context(for: ITServiceDeskModule.id)
        let fixture = ITDeskFixture(
            test: test, sites: SiteService(context: context), tickets: TicketService(context: context), groups: GroupService(context: context))
        _ = try await fixture.sites.create(
            SiteInput(code: "SP-HQ", name: "São Paulo HQ", country: "BR", region: "BR-SP", timeZone: "America/Sao_Paulo", currency: "BRL"),
            by: test.system())
        return fixture
    }

    var context: DomainContext { test.runtime.context(for: ITServiceDeskModule.id) }

    func at(_ instant: String) { test.clock.set(ISO8601.parse(instant)!) }

    func incident(
        impact: Int = 2, urgency: Int = 2, type: String = "incident", category: String = "hardware", title: String = "Laptop does not boot",
        parent: String? = nil, by invocation: Invocation? = nil
    ) async throws -> Ticket {
        try await tickets.open(
            TicketInput(
                type: type, category: category, title: title, description: "It shows a black screen.", site: "SP-HQ",
                impact: impact, urgency: urgency, parent: parent), by: invocation ?? test.system())
    }

    func move(_ ticket: Ticket, to status: TicketStatus, note: String? = nil, by invocation: Invocation? = nil) async throws -> Ticket {
        let current = try await tickets.get(ticket.id, by: test.runtime.systemPrincipal("t"))
        return try await tickets.transition(ticket.id, to: status, note: note, expectedVersion: current.version, by: invocation ?? test.system())
    }

    func close() async { await test.close() }
}

extension Ticket {
    func clock(_ kind: TicketClock.Kind) -> TicketClock? { clocks.first { $0.kind == kind } }
}
