import CSVCoding
import Foundation
import IncidentOps
import ITServiceDesk
import Kernel
import SQLKit
import Testing
import VigilTesting

/// What a new IT desk met in its first ten minutes (issue 9), each kept from coming back.
@Suite struct FirstTenMinutesTests {
    /// An agent must be someone whose role may work tickets, in the group's region: before, anyone
    /// could be registered, and tickets routed to them sat where nobody could work them.
    @Test(arguments: TestEngine.available)
    func onlyPeopleWhoMayWorkTicketsBecomeAgents(_ engine: TestEngine) async throws {
        let desk = try await ITDeskFixture.make(engine)
        let system = desk.test.system()
        _ = try await desk.groups.createGroup(GroupInput(region: "BR-SP", name: "Field IT", categories: ["hardware"], strategy: "least-loaded"), by: system)
        _ = try await desk.test.user("analyst@example.com", roles: [.analyst], regions: .only([desk.sp]))
        _ = try await desk.test.user("mx.agent@example.com", roles: [.itAgent], regions: .only([RegionCode("MX-CMX")!]))
        _ = try await desk.test.user("agent@example.com", roles: [.itAgent], regions: .only([desk.sp]))
        for (email, expected) in [("analyst@example.com", "has no role"), ("mx.agent@example.com", "does not work in BR-SP")] {
            let refused = await #expect(throws: VigilError.self) { () async throws in
                _ = try await desk.groups.setAgent(AgentInput(email: email, region: "BR-SP", skills: [], capacity: 5, groups: ["Field IT"]), by: system)
            }
            #expect(
                refused?.kind == .validation && refused?.fields.first?.field == "email" && refused?.fields.first?.message.contains(expected) == true, "\(email)"
            )
        }
        #expect(try await desk.test.count("it_agents") == 0)
        let agent = try await desk.groups.setAgent(
            AgentInput(email: "agent@example.com", region: "BR-SP", skills: [], capacity: 5, groups: ["Field IT"]), by: system)
        #expect(agent.capacity == 5)
        await desk.close()
    }

    /// A stored value this build does not know (a corrupt row, or one a newer release wrote) is
    /// an error, not a default: an unknown ticket status used to read as "new" and reopen it.
    @Test(arguments: TestEngine.available)
    func anUnknownStoredStatusIsAnErrorNotAnotherState(_ engine: TestEngine) async throws {
        let desk = try await ITDeskFixture.make(engine)
        let ticket = try await desk.incident()
        try await desk.test.runtime.database.sql.raw("UPDATE it_tickets SET status = 'archived-by-a-newer-release' WHERE id = \(bind: ticket.id)").run()
        await #expect { () async throws in _ = try await desk.tickets.get(ticket.id, by: desk.test.runtime.systemPrincipal("t")) } throws: { error in
            (error as? StoredValueError)?.column == "status"
        }
        await desk.close()
    }

    /// Bytes that are not UTF-8 in an imported row are that row's error, with its line; the
    /// other rows import.
    @Test(arguments: TestEngine.available)
    func invalidUTF8InAnImportIsARowError(_ engine: TestEngine) async throws {
        let desk = try await ITDeskFixture.make(engine)
        try await AssetImportTests.prepare(desk)
        var file = Data((AssetImportTests.header + "\n" + AssetImportTests.laptop("NB-0001") + "\n").utf8)
        file.append(Data(AssetImportTests.laptop("NB-0002", extra: ["location": "3rd floor XX"]).utf8).replacing(Data("XX".utf8), with: Data([0xC3, 0x28])))
        file.append(Data(("\n" + AssetImportTests.laptop("NB-0003") + "\n").utf8))
        let report = try await AssetImporter(context: desk.context).run(CSVReader(data: file), fileName: "mixed.csv", by: desk.test.system())
        #expect(report.created == 2 && report.rejected == 1)
        #expect(report.errors.map { "\($0.line) \($0.tag) \($0.field)" } == ["3 NB-0002 location"])
        #expect(report.errors.first?.message.contains("UTF-8") == true)
        await desk.close()
    }
}
