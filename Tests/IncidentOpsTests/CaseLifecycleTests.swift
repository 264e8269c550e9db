import Foundation
import IncidentOps
import Kernel
import SQLKit
import Testing
import VigilStorage
import VigilTesting

@Suite struct CaseLifecycleTests {
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

    /// Puts a case in any status directly, as a fixture, with the details that status carries.
    func force(_ id: String, to status: CaseStatus, test: TestRuntime) async throws -> Int {
        let resolution: String? = status == .resolved || status == .closed ? "resolved" : nil
        try await test.runtime.database.sql.raw(
            """
            UPDATE incident_cases SET status = \(bind: status.rawValue), resolution_code = \(bind: resolution),
                closed_at = \(bind: status == .closed ? test.clock.now().epochMicros : nil), version = version + 1 WHERE id = \(bind: id)
            """
        ).run()
        return try await test.runtime.database.sql.raw("SELECT version FROM incident_cases WHERE id = \(bind: id)").first()!.decode(
            column: "version", as: Int.self)
    }

    static func details(for target: CaseStatus) -> TransitionInput {
        TransitionInput(to: target.rawValue, waitingOn: target == .waiting ? "reporter" : nil, resolutionCode: target == .resolved ? "resolved" : nil)
    }

    @Test(arguments: TestEngine.available)
    func everyPairFollowsTheTransitionTable(_ engine: TestEngine) async throws {
        try await withDesk(engine) { test, cases in
            let incident = try await cases.open(CaseIntakeTests.input(), by: test.system())
            for from in CaseStatus.allCases {
                for target in CaseStatus.allCases where target != .assigned && target != from {
                    let version = try await force(incident.id, to: from, test: test)
                    let allowed = CaseLifecycle.allowed(from: from).contains(target)
                    do {
                        let moved = try await cases.transition(incident.id, Self.details(for: target), expectedVersion: version, by: test.system())
                        #expect(allowed, "\(from) → \(target) should have been refused")
                        #expect(moved.status == target)
                    } catch let error as VigilError {
                        #expect(!allowed, "\(from) → \(target) should be allowed: \(error)")
                        #expect(error.kind == .conflict && error.detail.contains("cannot move to \(target.rawValue)"))
                    }
                }
            }
            await #expect(throws: VigilError.self) {
                try await cases.transition(incident.id, TransitionInput(to: "assigned"), expectedVersion: 1, by: test.system())
            }
        }
    }

    @Test func detailsAreRequiredAndTimelineAuditAndEventsFollow() async throws {
        try await withDesk { test, cases in
            let incident = try await cases.open(CaseIntakeTests.input(), by: test.system())
            let noWaitingOn = await #expect(throws: VigilError.self) {
                try await cases.transition(incident.id, TransitionInput(to: "waiting"), expectedVersion: 1, by: test.system())
            }
            #expect(noWaitingOn?.fields.first?.field == "waitingOn")
            test.clock.advance(by: 60)
            let waiting = try await cases.transition(
                incident.id, TransitionInput(to: "waiting", waitingOn: "authorities", note: "B.O. requested"), expectedVersion: 1, by: test.system())
            #expect(waiting.status == .waiting && waiting.waitingOn == .authorities && waiting.version == 2)
            let noCode = await #expect(throws: VigilError.self) {
                try await cases.transition(incident.id, TransitionInput(to: "resolved"), expectedVersion: 2, by: test.system())
            }
            #expect(noCode?.fields.first?.field == "resolutionCode")
            let resolved = try await cases.transition(
                incident.id, TransitionInput(to: "resolved", resolutionCode: "referred-to-authorities"), expectedVersion: 2, by: test.system())
            #expect(resolved.waitingOn == nil && resolved.resolvedAt == test.clock.now().roundedToMicros)
            let closed = try await cases.transition(incident.id, TransitionInput(to: "closed"), expectedVersion: 3, by: test.system())
            #expect(closed.resolutionCode == .referredToAuthorities && closed.closedAt != nil)

            let note = try await cases.addNote(incident.reference, NoteInput(text: "Called the rider back", visibility: "external"), by: test.system())
            #expect(note.visibility == .external)
            let all = try await cases.timeline(incident.id, page: PageRequest(), by: test.runtime.systemPrincipal("t")).items
            let timeline = all.filter { $0.kind != .sla && $0.kind != .assignment }
            #expect(timeline.map(\.kind) == [.opened, .status, .status, .status, .note])
            #expect(timeline[1].text == "B.O. requested")
            #expect(timeline[1].details == .object(["from": .string("new"), "to": .string("waiting"), "waitingOn": .string("authorities")]))
            #expect(all.first?.details.jsonText.contains("\"targetSeconds\"") == true)

            let actions = try await test.runtime.audit.timeline(of: incident.entity).map(\.action)
            #expect(
                actions == [
                    "incident-ops.case.open", "incident-ops.case.transition", "incident-ops.case.transition", "incident-ops.case.transition",
                    "incident-ops.case.note",
                ])
            let events = try await OutboxStore(database: test.runtime.database).events(after: 0, types: [CaseStatusChanged.eventType], limit: 10)
            #expect(try events.compactMap { try $0.decode(CaseStatusChanged.self)?.to } == ["waiting", "resolved", "closed"])
        }
    }

    @Test func reopeningWorksWithinTheWindowOnly() async throws {
        try await withDesk { test, cases in
            let incident = try await cases.open(CaseIntakeTests.input(), by: test.system())
            _ = try await cases.transition(incident.id, TransitionInput(to: "resolved", resolutionCode: "resolved"), expectedVersion: 1, by: test.system())
            _ = try await cases.transition(incident.id, TransitionInput(to: "closed"), expectedVersion: 2, by: test.system())
            test.clock.advance(by: 6 * 86_400)
            let reopened = try await cases.transition(
                incident.id, TransitionInput(to: "in-progress", note: "Rider called again"), expectedVersion: 3, by: test.system())
            #expect(reopened.reopenCount == 1 && reopened.closedAt == nil && reopened.resolutionCode == nil)
            _ = try await cases.transition(incident.id, TransitionInput(to: "resolved", resolutionCode: "resolved"), expectedVersion: 4, by: test.system())
            _ = try await cases.transition(incident.id, TransitionInput(to: "closed"), expectedVersion: 5, by: test.system())
            test.clock.advance(by: 8 * 86_400)
            let late = await #expect(throws: VigilError.self) {
                try await cases.transition(incident.id, TransitionInput(to: "in-progress"), expectedVersion: 6, by: test.system())
            }
            #expect(late?.kind == .conflict && late?.detail.contains("7 days") == true)
        }
    }

    @Test(arguments: TestEngine.available)
    func concurrentChangesWithStaleVersionsLoseNothing(_ engine: TestEngine) async throws {
        try await withDesk(engine) { test, cases in
            let incident = try await cases.open(CaseIntakeTests.input(), by: test.system())
            // Ten writers all read version 1: exactly one wins, the rest get 412 and change nothing.
            let outcomes = await withTaskGroup(of: Bool.self) { group in
                for n in 0..<10 {
                    group.addTask {
                        (try? await cases.update(incident.id, UpdateCaseInput(description: "Writer \(n) was here"), expectedVersion: 1, by: test.system()))
                            != nil
                    }
                }
                return await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 }.count == 1)
            // Eight writers that reload and retry on 412: every one of their changes lands.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for writer in 0..<8 {
                    group.addTask {
                        for step in 0..<4 {
                            while true {
                                let current = try await cases.get(incident.id, by: test.runtime.systemPrincipal("t"))
                                do {
                                    _ = try await cases.update(
                                        incident.id, UpdateCaseInput(description: "w\(writer)s\(step) after v\(current.version)"),
                                        expectedVersion: current.version, by: test.system())
                                    break
                                } catch let error as VigilError where error.kind == .preconditionFailed {
                                    continue
                                }
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
            let final = try await cases.get(incident.id, by: test.runtime.systemPrincipal("t"))
            #expect(final.version == 1 + 1 + 32)
            let updates = try await test.runtime.audit.timeline(of: incident.entity).filter { $0.action == "incident-ops.case.update" }
            #expect(updates.count == 33)
            let descriptions = Set(updates.compactMap { record in record.fieldChanges.first { $0.field == "description" }?.after?.jsonText })
            for writer in 0..<8 { for step in 0..<4 { #expect(descriptions.contains { $0.contains("w\(writer)s\(step) ") }) } }
            #expect(try await test.runtime.audit.verify().intact)
        }
    }
}
