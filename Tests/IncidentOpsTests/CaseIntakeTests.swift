import Foundation
import IncidentOps
import JSONCoding
import Kernel
import SQLKit
import Testing
import VigilStorage
import VigilTesting

@Suite struct CaseIntakeTests {
    func withDesk(_ engine: TestEngine, _ body: (TestRuntime, CaseService) async throws -> Void) async throws {
        let test = try await TestRuntime.make(engine, domains: [IncidentOpsModule.self])
        do {
            try await body(test, CaseService(context: test.runtime.context(for: IncidentOpsModule.id)))
        } catch {
            await test.close()
            throw error
        }
        await test.close()
    }

    static func input(region: String = "BR-SP", severity: String = "S2", sensitive: Bool = false, description: String = "Rider hit at Av. Paulista")
        -> OpenCaseInput
    {
        OpenCaseInput(
            region: region, businessLine: "drivers", category: "traffic-accident", severity: severity, description: description,
            location: CaseLocation(address: "Av. Paulista 1578", latitude: -23.5614, longitude: -46.6559), sensitive: sensitive)
    }

    @Test(arguments: TestEngine.available)
    func openingACaseNumbersAuditsAndAnnouncesItInOneGo(_ engine: TestEngine) async throws {
        try await withDesk(engine) { test, cases in
            let incident = try await cases.open(Self.input(), by: test.system())
            #expect(incident.reference == "INC-2026-000001")
            #expect(incident.status == .new && incident.version == 1)
            #expect(incident.createdAt == test.clock.now().roundedToMicros)
            let second = try await cases.open(Self.input(severity: "S1"), by: test.system())
            #expect(second.reference == "INC-2026-000002")

            let timeline = try await test.runtime.audit.timeline(of: incident.entity)
            #expect(timeline.map(\.action) == ["incident-ops.case.open"])
            #expect(Set(timeline[0].fieldChanges.map(\.field)).isSuperset(of: ["region", "severity", "description", "location", "sensitive"]))
            #expect(timeline[0].region == "BR-SP")

            let events = try await OutboxStore(database: test.runtime.database).events(after: 0, types: [CaseOpened.eventType], limit: 10)
            #expect(events.count == 2)
            let payload = try #require(try events[0].decode(CaseOpened.self))
            #expect(
                payload
                    == CaseOpened(
                        caseId: incident.id, reference: incident.reference, region: "BR-SP", businessLine: "drivers",
                        category: "traffic-accident", severity: "S2", sensitive: false))
            #expect(events[0].subject == incident.entity)
            #expect(try await cases.get(incident.reference.lowercased(), by: test.runtime.systemPrincipal("t")).id == incident.id)
        }
    }

    @Test func invalidIntakeReportsEveryFieldAndWritesNothing() async throws {
        // Annotated: every `try` here sits inside a macro, and a closure's throwing is inferred before macros expand.
        try await withDesk(.sqlite) { (test, cases) async throws in
            var input = Self.input(description: "   ")
            input.businessLine = "couriers"
            input.category = "alien-abduction"
            input.severity = "S0"
            input.location = CaseLocation(address: nil, latitude: 123, longitude: nil)
            input.occurredAt = test.clock.now().addingTimeInterval(3600)
            let expected: Set<String> = ["businessLine", "category", "severity", "description", "location", "location.latitude", "occurredAt"]
            let invalid = input
            let invocation = test.system()
            let failure = await #expect(throws: VigilError.self) { try await cases.open(invalid, by: invocation) }
            let names = Set(failure?.fields.map { $0.field } ?? [])
            #expect(names == expected)
            #expect(try await test.count("incident_cases") == 0)
            #expect(try await test.count("vigil_audit") == 0)
            #expect(try await test.count("vigil_sequences") == 0)
        }
    }

    @Test(arguments: TestEngine.available)
    func pagesWalkEveryVisibleCaseOnceNewestFirst(_ engine: TestEngine) async throws {
        try await withDesk(engine) { test, cases in
            var opened: [String] = []
            for n in 0..<23 {
                // Several cases share an instant: the id breaks the tie, so none is skipped or repeated.
                if n % 3 == 0 { test.clock.advance(by: 1) }
                let region = n % 2 == 0 ? "BR-SP" : "MX-CMX"
                opened.append(try await cases.open(Self.input(region: region, severity: n % 4 == 0 ? "S1" : "S3"), by: test.system()).id)
            }
            let admin = test.runtime.systemPrincipal("t")
            let all = try await walk(cases, CaseFilter(), as: admin, limit: 5)
            #expect(all == opened.reversed())
            let severe = try await walk(cases, CaseFilter(severity: .s1), as: admin, limit: 2)
            #expect(severe.count == 6)
            // A user of two regions gets both merged in order; a user of one sees only theirs.
            let both = try await test.user("both@example.com", roles: [.analyst], regions: .only([RegionCode("BR-SP")!, RegionCode("MX-CMX")!]))
            #expect(try await walk(cases, CaseFilter(), as: both.principal, limit: 4) == opened.reversed())
            let sp = try await test.user("sp@example.com", roles: [.analyst], regions: .only([RegionCode("BR-SP")!]))
            let spCases = try await walk(cases, CaseFilter(), as: sp.principal, limit: 4)
            #expect(spCases == opened.enumerated().filter { $0.offset % 2 == 0 }.map(\.element).reversed())
            #expect(try await walk(cases, CaseFilter(region: RegionCode("MX-CMX")), as: sp.principal, limit: 4).isEmpty)
        }
    }

    func walk(_ cases: CaseService, _ filter: CaseFilter, as principal: Principal, limit: Int) async throws -> [String] {
        var ids: [String] = []
        var cursor: Cursor?
        repeat {
            let page = try await cases.list(filter, page: PageRequest(limit: limit, after: cursor), by: principal)
            #expect(page.items.count <= limit)
            ids += page.items.map(\.id)
            cursor = page.nextCursor.flatMap(Cursor.init(encoded:))
        } while cursor != nil
        return ids
    }

    @Test(arguments: TestEngine.available)
    func correctionsAreVersionedDiffedAndAnnounced(_ engine: TestEngine) async throws {
        try await withDesk(engine) { test, cases in
            let incident = try await cases.open(Self.input(), by: test.system())
            test.clock.advance(by: 60)
            let updated = try await cases.update(
                incident.id, UpdateCaseInput(severity: "s1", description: "Rider hit; ambulance called"), expectedVersion: 1, by: test.system())
            #expect(updated.severity == .s1 && updated.version == 2 && updated.location == incident.location)
            let timeline = try await test.runtime.audit.timeline(of: incident.entity)
            #expect(timeline.map(\.action) == ["incident-ops.case.open", "incident-ops.case.update"])
            // S2 → S1 at medium urgency also moves the priority from P2 to P1.
            #expect(Set(timeline[1].fieldChanges.map(\.field)) == ["severity", "description", "priority"])
            #expect(timeline[1].fieldChanges.first { $0.field == "severity" }?.before == .string("S2"))
            await #expect { try await cases.update(incident.id, UpdateCaseInput(severity: "S4"), expectedVersion: 1, by: test.system()) } throws: {
                ($0 as? VigilError)?.kind == .preconditionFailed
            }
            #expect(try await cases.get(incident.id, by: test.runtime.systemPrincipal("t")).severity == .s1)
            await #expect { try await cases.update(incident.id, UpdateCaseInput(), expectedVersion: 2, by: test.system()) } throws: {
                ($0 as? VigilError)?.kind == .validation
            }
            let events = try await OutboxStore(database: test.runtime.database).events(after: 0, types: [CaseUpdated.eventType], limit: 10)
            #expect(try events.map { try $0.decode(CaseUpdated.self)?.changedFields.sorted() } == [["description", "priority", "severity"]])
        }
    }

    @Test func analystsCannotClearTheSensitiveFlagOrTouchOthersRegions() async throws {
        try await withDesk(.sqlite) { test, cases in
            let analyst = try await test.user("a@example.com", roles: [.analyst], regions: .only([RegionCode("BR-SP")!]))
            let incident = try await cases.open(Self.input(), by: test.invocation(analyst.principal))
            await #expect {
                try await cases.update(incident.id, UpdateCaseInput(sensitive: true), expectedVersion: 1, by: test.invocation(analyst.principal))
            } throws: {
                ($0 as? VigilError)?.kind == .forbidden
            }
            await #expect { try await cases.open(Self.input(region: "MX-CMX"), by: test.invocation(analyst.principal)) } throws: {
                ($0 as? VigilError)?.kind == .forbidden
            }
            let auditor = try await test.user("audit@example.com", roles: [.auditor], regions: .only([RegionCode("MX-CMX")!]))
            #expect(try await cases.get(incident.id, by: auditor.principal).id == incident.id)
            await #expect { try await cases.open(Self.input(), by: test.invocation(auditor.principal)) } throws: { ($0 as? VigilError)?.kind == .forbidden }
        }
    }
}

extension Date {
    var roundedToMicros: Date { Date(epochMicros: epochMicros) }
}

@Suite struct CaseJSONTests {
    @Test func handWrittenJSONMatchesTheCodableForm() async throws {
        let test = try await TestRuntime.make(domains: [IncidentOpsModule.self])
        let cases = CaseService(context: test.runtime.context(for: IncidentOpsModule.id))
        var full = CaseIntakeTests.input(description: "Quote \" backslash \\ newline \n tab \t é")
        full.reporterName = "Ana"
        full.reporterContact = "+55 11 99999-0000"
        full.occurredAt = test.clock.now().addingTimeInterval(-600)
        let rich = try await cases.open(full, by: test.system())
        let bare = try await cases.open(
            OpenCaseInput(region: "BR-SP", businessLine: "clients", category: "other", severity: "S4", description: "x"), by: test.system())
        for incident in [rich, bare] {
            let handWritten = try JSONValue.parse(StreamingJSON.encode(incident))
            let codable = try JSONValue.parse(VigilJSON.encoder.encode(incident))
            #expect(handWritten == codable)
        }
        let page = Page(items: [rich, bare], nextCursor: "abc")
        #expect(try JSONValue.parse(StreamingJSON.encode(page)) == JSONValue.parse(VigilJSON.encoder.encode(page)))
        let queued = Page(items: [QueuedCase(incident: rich, nextDueAt: test.clock.now()), QueuedCase(incident: bare, nextDueAt: nil)], nextCursor: nil)
        #expect(try JSONValue.parse(StreamingJSON.encode(queued)) == JSONValue.parse(VigilJSON.encoder.encode(queued)))
        await test.close()
    }
}

@Suite struct PriorityAndTaxonomyTests {
    @Test(arguments: [
        ("S1", "high", "P1"), ("S1", "low", "P2"), ("S2", "medium", "P2"), ("S3", "high", "P2"), ("S3", "medium", "P3"), ("S4", "high", "P3"),
        ("S4", "low", "P4"),
    ])
    func priorityFollowsTheSeverityUrgencyMatrix(_ severity: String, _ urgency: String, _ priority: String) async throws {
        let test = try await TestRuntime.make(domains: [IncidentOpsModule.self])
        var input = CaseIntakeTests.input(severity: severity)
        input.urgency = urgency
        let incident = try await CaseService(context: test.runtime.context(for: IncidentOpsModule.id)).open(input, by: test.system())
        #expect(incident.priority.rawValue == priority)
        await test.close()
    }

    @Test func aRegionsSubcategoriesAreEnforcedWhereItDefinesThem() async throws {
        let test = try await TestRuntime.make(domains: [IncidentOpsModule.self])
        let context = test.runtime.context(for: IncidentOpsModule.id)
        let cases = CaseService(context: context)
        _ = try await Taxonomy(context: context).set(
            region: "BR-SP", category: "traffic-accident", subcategories: ["motorcycle-collision", "pedestrian"], by: test.system())
        let missing = await #expect(throws: VigilError.self) { try await cases.open(CaseIntakeTests.input(), by: test.system()) }
        #expect(missing?.fields.first?.code == .required)
        var wrong = CaseIntakeTests.input()
        wrong.subcategory = "truck"
        await #expect(throws: VigilError.self) { try await cases.open(wrong, by: test.system()) }
        var right = CaseIntakeTests.input()
        right.subcategory = "pedestrian"
        #expect(try await cases.open(right, by: test.system()).subcategory == "pedestrian")
        // Other regions keep accepting any subcategory.
        #expect(try await cases.open(CaseIntakeTests.input(region: "BR-RJ"), by: test.system()).subcategory == nil)
        await test.close()
    }
}
