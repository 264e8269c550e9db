import Foundation
import IncidentOps
import Kernel
import SQLKit
import Testing
import VigilStorage
import VigilTesting
import WorkAssignment

@Suite struct AssignmentTests {
    struct Desk {
        let test: TestRuntime
        let cases: CaseService
        let desk: DeskService
        var ids: [String: String] = [:]  // email → user id

        func sql(_ query: SQLQueryString) async throws { try await test.runtime.database.sql.raw(query).run() }

        func open(_ severity: String = "S3", sensitive: Bool = false, line: String = "drivers", category: String = "traffic-accident") async throws
            -> IncidentCase
        {
            var input = CaseIntakeTests.input(severity: severity, sensitive: sensitive)
            input.businessLine = line
            input.category = category
            return try await cases.open(input, by: test.system())
        }

        func load(_ email: String) async throws -> Int {
            try await test.runtime.database.sql.raw("SELECT active_cases FROM incident_analysts WHERE user_id = \(bind: ids[email]!)").first()!.decode(
                column: "active_cases", as: Int.self)
        }
    }

    func withDesk(
        _ engine: TestEngine = .sqlite, strategy: AssignmentStrategy, skill: String? = nil,
        analysts: [(email: String, capacity: Int, skills: [String], sensitive: Bool)], _ body: (Desk) async throws -> Void
    ) async throws {
        let test = try await TestRuntime.make(engine, domains: [IncidentOpsModule.self])
        do {
            let context = test.runtime.context(for: IncidentOpsModule.id)
            var desk = Desk(test: test, cases: CaseService(context: context), desk: DeskService(context: context))
            _ = try await desk.desk.createQueue(
                QueueInput(region: "BR-SP", name: "Drivers SP", businessLine: "drivers", requiredSkill: skill, strategy: strategy.rawValue), by: test.system())
            for analyst in analysts {
                let user = try await test.user(analyst.email, roles: [.analyst], regions: .only([RegionCode("BR-SP")!]))
                desk.ids[analyst.email] = user.user.id.lowercased
                _ = try await desk.desk.setAnalyst(
                    AnalystInput(
                        email: analyst.email, region: "BR-SP", skills: analyst.skills, languages: ["pt-BR"],
                        capacity: analyst.capacity, sensitiveOK: analyst.sensitive), by: test.system())
            }
            try await body(desk)
        } catch {
            await test.close()
            throw error
        }
        await test.close()
    }

    func lastDecision(_ incident: IncidentCase, _ desk: Desk) async throws -> String {
        let entries = try await desk.cases.timeline(incident.id, page: PageRequest(limit: 200), by: desk.test.runtime.systemPrincipal("t")).items
        guard let details = entries.last(where: { $0.kind == .assignment })?.details, case .object(let members) = details,
            case .string(let reason)? = members["reason"]
        else { return "" }
        return reason
    }

    @Test func roundRobinTakesWhoeverWasAssignedLongestAgo() async throws {
        try await withDesk(strategy: .roundRobin, analysts: [("a@x.com", 5, [], false), ("b@x.com", 5, [], false), ("c@x.com", 5, [], false)]) { desk in
            try await desk.sql("UPDATE incident_analysts SET last_assigned_at = 300, active_cases = 0 WHERE user_id = \(bind: desk.ids["a@x.com"]!)")
            try await desk.sql("UPDATE incident_analysts SET last_assigned_at = 200, active_cases = 4 WHERE user_id = \(bind: desk.ids["b@x.com"]!)")
            try await desk.sql("UPDATE incident_analysts SET last_assigned_at = 100, active_cases = 0 WHERE user_id = \(bind: desk.ids["c@x.com"]!)")
            let order = try await (0..<3).asyncMap { _ in try await desk.open().assignee }
            #expect(order == [desk.ids["c@x.com"], desk.ids["b@x.com"], desk.ids["a@x.com"]])
        }
    }

    @Test func leastLoadedTakesTheFewestOpenCases() async throws {
        try await withDesk(strategy: .leastLoaded, analysts: [("a@x.com", 5, [], false), ("b@x.com", 5, [], false), ("c@x.com", 5, [], false)]) { desk in
            try await desk.sql("UPDATE incident_analysts SET active_cases = 2 WHERE user_id = \(bind: desk.ids["a@x.com"]!)")
            try await desk.sql("UPDATE incident_analysts SET active_cases = 1 WHERE user_id = \(bind: desk.ids["c@x.com"]!)")
            let first = try await desk.open()
            #expect(first.assignee == desk.ids["b@x.com"] && first.status == .assigned)
            #expect(try await lastDecision(first, desk).contains("least loaded: 0 of 5"))
        }
    }

    @Test func skillBasedPrefersTheSkillAndFallsBackWhenNoneIsFree() async throws {
        try await withDesk(strategy: .skillBased, skill: "medical", analysts: [("a@x.com", 5, [], false), ("c@x.com", 1, ["medical"], false)]) { desk in
            let first = try await desk.open()
            #expect(first.assignee == desk.ids["c@x.com"])
            #expect(try await lastDecision(first, desk).contains("has medical"))
            let second = try await desk.open()
            #expect(second.assignee == desk.ids["a@x.com"])
            #expect(try await lastDecision(second, desk).contains("fell back"))
        }
    }

    @Test func availabilityAwareAssignsOnlyWhoIsOnShiftAndAlertsWhenNobodyIs() async throws {
        try await withDesk(strategy: .availabilityAware, analysts: [("a@x.com", 5, [], false), ("b@x.com", 5, [], false)]) { desk in
            let now = desk.test.clock.now()
            let waiting = try await desk.open()
            #expect(waiting.assignee == nil && waiting.queueId != nil && waiting.status == .new)
            #expect(try await lastDecision(waiting, desk).contains("no analyst on shift"))
            let alerts = try await OutboxStore(database: desk.test.runtime.database).events(after: 0, types: [CaseWaitingInQueue.eventType], limit: 10)
            #expect(alerts.count == 1)
            _ = try await desk.desk.addShift(
                ShiftInput(
                    email: "b@x.com", region: "BR-SP", role: "analyst", startsAt: now.addingTimeInterval(-3600), endsAt: now.addingTimeInterval(7 * 3600)),
                by: desk.test.system())
            _ = try await desk.desk.addShift(
                ShiftInput(
                    email: "a@x.com", region: "BR-SP", role: "analyst", startsAt: now.addingTimeInterval(8 * 3600), endsAt: now.addingTimeInterval(16 * 3600)),
                by: desk.test.system())
            let assigned = try await desk.open()
            #expect(assigned.assignee == desk.ids["b@x.com"])
            // A rebalance gives the waiting case to whoever is on shift now.
            let queue = try #require(try await desk.desk.queues(region: RegionCode("BR-SP"), by: desk.test.runtime.systemPrincipal("t")).first)
            #expect(try await desk.cases.rebalance(queueID: queue.id, by: desk.test.system()) == 1)
            #expect(try await desk.cases.get(waiting.id, by: desk.test.runtime.systemPrincipal("t")).assignee == desk.ids["b@x.com"])
            let override = await #expect(throws: VigilError.self) {
                try await desk.desk.addShift(
                    ShiftInput(email: "a@x.com", region: "BR-SP", role: "analyst", startsAt: now, endsAt: now.addingTimeInterval(3600), kind: "override"),
                    by: desk.test.system())
            }
            #expect(override?.fields.first?.field == "note")
        }
    }

    @Test func sensitiveCasesGoOnlyToCleardAnalystsAndStayHiddenFromOthers() async throws {
        try await withDesk(strategy: .leastLoaded, analysts: [("plain@x.com", 5, [], false), ("cleared@x.com", 5, [], true)]) { desk in
            try await desk.sql("UPDATE incident_analysts SET active_cases = 3 WHERE user_id = \(bind: desk.ids["cleared@x.com"]!)")
            let sensitive = try await desk.open(sensitive: true)
            #expect(sensitive.assignee == desk.ids["cleared@x.com"])
            let plain = try #require(try await desk.test.runtime.users.find(email: "plain@x.com"))
            let plainPrincipal = desk.test.runtime.users.principal(for: plain)
            await #expect(throws: VigilError.self) { try await desk.cases.get(sensitive.id, by: plainPrincipal) }
            let listed = try await desk.cases.list(CaseFilter(), page: PageRequest(), by: plainPrincipal)
            #expect(!listed.items.contains { $0.id == sensitive.id })
            let cleared = try #require(try await desk.test.runtime.users.find(email: "cleared@x.com"))
            #expect(try await desk.cases.get(sensitive.id, by: desk.test.runtime.users.principal(for: cleared)).id == sensitive.id)
            await #expect(throws: VigilError.self) {
                try await desk.cases.assign(sensitive.id, to: "plain@x.com", expectedVersion: sensitive.version, by: desk.test.system())
            }
        }
    }

    @Test(arguments: TestEngine.available)
    func capacityHoldsUnderConcurrentIntakesAndFreedCapacityIsRefilled(_ engine: TestEngine) async throws {
        try await withDesk(engine, strategy: .leastLoaded, analysts: [("a@x.com", 4, [], false), ("b@x.com", 4, [], false), ("c@x.com", 4, [], false)]) {
            desk in
            let opened = try await withThrowingTaskGroup(of: IncidentCase.self) { group in
                for _ in 0..<32 { group.addTask { try await desk.open() } }
                return try await group.reduce(into: [IncidentCase]()) { $0.append($1) }
            }
            let perAnalyst = Dictionary(grouping: opened.compactMap(\.assignee), by: { $0 }).mapValues(\.count)
            #expect(perAnalyst.values.sorted() == [4, 4, 4])
            for email in ["a@x.com", "b@x.com", "c@x.com"] { #expect(try await desk.load(email) == 4) }
            #expect(opened.filter { $0.assignee == nil }.count == 20)
            // One case resolved: its analyst's freed slot goes to the oldest waiting case.
            let done = try #require(opened.first { $0.assignee == desk.ids["a@x.com"] })
            _ = try await desk.cases.transition(
                done.id, TransitionInput(to: "resolved", resolutionCode: "resolved"), expectedVersion: done.version, by: desk.test.system())
            #expect(try await desk.load("a@x.com") == 4)
            let oldestWaiting = try #require(opened.filter { $0.assignee == nil }.min { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) })
            #expect(try await desk.cases.get(oldestWaiting.id, by: desk.test.runtime.systemPrincipal("t")).assignee == desk.ids["a@x.com"])
            let overload = await #expect(throws: VigilError.self) {
                let waiting = try #require(opened.first { $0.assignee == nil && $0.id != oldestWaiting.id })
                _ = try await desk.cases.assign(waiting.id, to: "b@x.com", expectedVersion: waiting.version, by: desk.test.system())
            }
            #expect(overload?.kind == .conflict)
            let mismatches = try await desk.cases.checkClocks(nil, by: desk.test.runtime.systemPrincipal("t")).mismatches
            #expect(mismatches.isEmpty, "\(mismatches)")
        }
    }
}

extension Sequence {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var results: [T] = []
        for element in self { results.append(try await transform(element)) }
        return results
    }
}

@Suite struct QueueViewTests {
    @Test(arguments: TestEngine.available)
    func openCasesComeSoonestDueFirstAndPausedOnesLast(_ engine: TestEngine) async throws {
        let test = try await TestRuntime.make(engine, domains: [IncidentOpsModule.self])
        let context = test.runtime.context(for: IncidentOpsModule.id)
        let cases = CaseService(context: context)
        let queue = try await DeskService(context: context).createQueue(
            QueueInput(region: "BR-SP", name: "All", strategy: "availability-aware"), by: test.system())
        let s4 = try await cases.open(CaseIntakeTests.input(severity: "S4"), by: test.system())
        test.clock.advance(by: 60)
        let s2 = try await cases.open(CaseIntakeTests.input(severity: "S2"), by: test.system())
        let s1 = try await cases.open(CaseIntakeTests.input(severity: "S1"), by: test.system())
        let paused = try await cases.open(CaseIntakeTests.input(severity: "S1"), by: test.system())
        _ = try await cases.transition(paused.id, TransitionInput(to: "waiting", waitingOn: "reporter"), expectedVersion: paused.version, by: test.system())
        let done = try await cases.open(CaseIntakeTests.input(severity: "S1"), by: test.system())
        _ = try await cases.transition(done.id, TransitionInput(to: "resolved", resolutionCode: "resolved"), expectedVersion: done.version, by: test.system())
        var seen: [QueuedCase] = []
        var cursor: Cursor?
        repeat {
            let page = try await cases.queueView(queueID: queue.id, page: PageRequest(limit: 2, after: cursor), by: test.runtime.systemPrincipal("t"))
            seen += page.items
            cursor = page.nextCursor.flatMap(Cursor.init(encoded:))
        } while cursor != nil
        #expect(seen.map(\.incident.id) == [s1.id, s2.id, s4.id, paused.id])
        #expect(seen.first?.nextDueAt == s1.createdAt.addingTimeInterval(5 * 60))  // S1 acknowledge: 5 minutes
        #expect(seen.last?.nextDueAt == nil)
        await test.close()
    }
}
