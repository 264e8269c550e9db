import Foundation
@testable import IncidentOps
import Kernel
import SQLKit
import Testing
import VigilStorage
import VigilTesting

/// Each case row keeps its SLA trouble (running clocks breached, at warning, the soonest due not
/// yet breached) so that the desk's workload counts open cases without reading their clocks. These
/// tests hold the kept figures to the clocks themselves through every move a clock makes.
@Suite struct CaseSLASummaryTests {
    /// What the case rows say, and what their clocks say, for every case.
    static func keptAndActual(_ test: TestRuntime) async throws -> (kept: [String: [Int64]], actual: [String: [Int64]]) {
        let sql = test.runtime.database.sql
        var kept: [String: [Int64]] = [:]
        for row in try await sql.raw("SELECT id, sla_breached, sla_at_risk, sla_watch_due FROM incident_cases").all() {
            kept[try row.decode(column: "id", as: String.self)] = [
                try row.decode(column: "sla_breached", as: Int64.self), try row.decode(column: "sla_at_risk", as: Int64.self),
                try row.decode(column: "sla_watch_due", as: Int64.self),
            ]
        }
        var actual: [String: [Int64]] = [:]
        for clock in try await sql.raw("SELECT \(unsafeRaw: SLAClock.columns), due_at FROM incident_sla_clocks").all() {
            let id = try clock.decode(column: "case_id", as: String.self)
            let stopped = try clock.optional("stopped_at", as: Int64.self) != nil
            let warned = try clock.optional("warned_at", as: Int64.self) != nil
            let breached = try clock.optional("breached_at", as: Int64.self) != nil
            var figures = actual[id] ?? [0, 0, Int64.max]
            if !stopped {
                if breached { figures[0] += 1 } else if warned { figures[1] += 1 }
                if !breached, let due = try clock.optional("due_at", as: Int64.self) { figures[2] = min(figures[2], due) }
            }
            actual[id] = figures
        }
        return (kept, actual)
    }

    @Test(arguments: TestEngine.available)
    func theKeptTroubleFollowsEveryClockMove(engine: TestEngine) async throws {
        let test = try await TestRuntime.make(engine, domains: [IncidentOpsModule.self])
        let context = test.runtime.context(for: IncidentOpsModule.id)
        let cases = CaseService(context: context)
        var moves = 0
        func check(_ step: String) async throws {
            let (kept, actual) = try await Self.keptAndActual(test)
            #expect(kept == actual, "after \(step)")
            moves += 1
        }
        let urgent = try await cases.open(CaseIntakeTests.input(severity: "S1"), by: test.system())
        let routine = try await cases.open(CaseIntakeTests.input(severity: "S4"), by: test.system())
        try await check("intake")
        // S1: acknowledge due at 5 min, first action at 15 min (warning at 80%).
        test.clock.advance(by: 6 * 60)
        try await SLAScannerProbe.scan(context)
        let afterBreach = try await Self.keptAndActual(test).kept[urgent.id]
        #expect(afterBreach?[0] == 1 && afterBreach?[1] == 0, "acknowledge breached, first action not yet at warning")
        try await check("the scanner's breach and warning")
        _ = try await cases.acknowledge(urgent.id, by: test.system())
        try await check("acknowledge (the breached clock stops)")
        #expect(try await Self.keptAndActual(test).kept[urgent.id]?[0] == 0)
        var current = try await cases.transition(
            urgent.id, TransitionInput(to: "waiting", waitingOn: "reporter"), expectedVersion: urgent.version, by: test.system())
        try await check("waiting (clocks pause)")
        test.clock.advance(by: 3600)
        current = try await cases.transition(urgent.id, TransitionInput(to: "in-progress"), expectedVersion: current.version, by: test.system())
        try await check("back in progress (clocks run again)")
        test.clock.advance(by: 5 * 3600)
        try await SLAScannerProbe.scan(context)
        try await check("later crossings")
        current = try await cases.transition(
            urgent.id, TransitionInput(to: "resolved", resolutionCode: "resolved"), expectedVersion: current.version, by: test.system())
        try await check("resolved")
        _ = try await cases.transition(urgent.id, TransitionInput(to: "in-progress"), expectedVersion: current.version, by: test.system())
        try await check("reopened")
        _ = try await cases.transition(routine.id, TransitionInput(to: "resolved", resolutionCode: "duplicate"), expectedVersion: 1, by: test.system())
        try await check("the other case resolved")
        #expect(moves == 9)
        await test.close()
    }

    /// A database migrated before the kept trouble existed gets it from its running clocks: the
    /// migration's backfill, run over cases in every state, writes what the clocks say.
    @Test(arguments: TestEngine.available)
    func theMigrationBackfillsTheTroubleFromRunningClocks(engine: TestEngine) async throws {
        let test = try await TestRuntime.make(engine, domains: [IncidentOpsModule.self])
        let context = test.runtime.context(for: IncidentOpsModule.id)
        let cases = CaseService(context: context)
        for severity in ["S1", "S2", "S1", "S3", "S4"] {
            _ = try await cases.open(CaseIntakeTests.input(severity: severity), by: test.system())
        }
        test.clock.advance(by: 13 * 60)
        try await SLAScannerProbe.scan(context)
        let done = try await cases.open(CaseIntakeTests.input(severity: "S2"), by: test.system())
        _ = try await cases.transition(done.id, TransitionInput(to: "resolved", resolutionCode: "duplicate"), expectedVersion: 1, by: test.system())
        let (before, actual) = try await Self.keptAndActual(test)
        #expect(before == actual && actual.values.contains { $0[0] > 0 } && actual.values.contains { $0[1] > 0 })
        let sql = test.runtime.database.sql
        try await sql.raw("UPDATE incident_cases SET sla_breached = 0, sla_at_risk = 0, sla_watch_due = 9223372036854775807").run()
        let migration = try #require(IncidentOpsMigrations.all.first { $0.id == "0014-open-case-load" })
        let backfill = try #require(migration.statements.first { $0.sqlite.contains("UPDATE incident_cases") })
        try await sql.raw("\(unsafeRaw: engine == .sqlite ? backfill.sqlite : backfill.postgres)").run()
        #expect(try await Self.keptAndActual(test).kept == actual)
        await test.close()
    }

    /// The workload's per-queue figures, from the kept trouble, equal those counted from the clocks.
    @Test func theWorkloadsQueueFiguresEqualTheClocksCounted() async throws {
        let test = try await TestRuntime.make(domains: [IncidentOpsModule.self])
        let context = test.runtime.context(for: IncidentOpsModule.id)
        let cases = CaseService(context: context)
        let sp = RegionCode("BR-SP")!
        let coordinator = try await test.user("coord@x.com", roles: [.shiftCoordinator], regions: .only([sp]))
        for severity in ["S1", "S2", "S1", "S3", "S4", "S2"] {
            _ = try await cases.open(CaseIntakeTests.input(severity: severity), by: test.system())
        }
        // At 13 minutes: S1's acknowledge (5 min) breached and first action (15 min) at warning;
        // S2's acknowledge (15 min) at warning.
        test.clock.advance(by: 13 * 60)
        try await SLAScannerProbe.scan(context)
        let (_, actual) = try await Self.keptAndActual(test)
        let queue = try #require(try await CoverageService(context: context).workload(region: sp, by: coordinator.principal).queues.first)
        #expect(queue.open == 6 && queue.waiting == 6)
        #expect(queue.slaBreached == Int(actual.values.map { $0[0] }.reduce(0, +)) && queue.slaBreached > 0)
        #expect(queue.slaAtRisk == Int(actual.values.map { $0[1] }.reduce(0, +)) && queue.slaAtRisk > 0)
        #expect(queue.nextDueAt?.epochMicros == actual.values.map { $0[2] }.min())
        await test.close()
    }

    /// The workload comes from the index of open cases alone (no table row, no clock).
    @Test func theWorkloadIsReadFromTheIndexOfOpenCasesAlone() async throws {
        let test = try await TestRuntime.make(domains: [IncidentOpsModule.self])
        let sql = test.runtime.database.sql
        func plan(_ query: SQLQueryString) async throws -> String {
            try await sql.raw("EXPLAIN QUERY PLAN " + query).all().map { try $0.decode(column: "detail", as: String.self) }.joined(separator: "; ")
        }
        let workload = try await plan(
            """
            SELECT queue_id, assignee, COUNT(*), MIN(created_at), SUM(sla_breached), SUM(sla_at_risk), MIN(sla_watch_due)
            FROM incident_cases WHERE region = \(bind: "BR-SP") AND \(OpenCases.condition()) AND sensitive = \(bind: false) GROUP BY queue_id, assignee
            """)
        #expect(workload.contains("COVERING INDEX incident_cases_open_load"), "\(workload)")
        await test.close()
    }
}
