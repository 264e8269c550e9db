import Foundation
import Kernel
import SQLKit
import Testing
import VigilStorage
import VigilTesting

@Suite struct AuditTests {
    let invocation = Invocation(principal: Principal.system("test", permissions: []), channel: .cli, requestID: "req-a", reason: "why not")

    func withAudit(_ engine: TestEngine, entities: Int, recordsEach: Int, _ body: (any ManagedDatabase, AuditLog) async throws -> Void) async throws {
        let database = try await TestDatabase.make(engine)
        let store = try await database.open()
        do {
            try await Migrator(database: store, plan: MigrationPlan(PlatformSchema.migrations.map { (DomainID.platform, $0) })).apply(by: "test")
            for round in 0..<recordsEach {
                for entity in 0..<entities {
                    try await store.transaction(domain: "alpha", invocation: invocation, now: Date(timeIntervalSince1970: 1_768_478_400 + Double(round))) {
                        tx in
                        try await tx.audit(
                            AuditEntry(
                                action: "alpha.thing.change", entity: EntityRef("alpha.thing", "e\(entity)"), region: RegionCode("BR-SP"),
                                changes: [FieldChange(field: "n", before: round == 0 ? nil : .integer(Int64(round - 1)), after: .integer(Int64(round)))],
                                isCreation: round == 0))
                    }
                }
            }
            try await body(store, AuditLog(database: store))
        } catch {
            await store.close()
            await database.destroy()
            throw error
        }
        await store.close()
        await database.destroy()
    }

    func dropAppendOnlyGuards(_ store: any ManagedDatabase) async throws {
        // A tamperer with access to the database file can drop the triggers; the chain still tells.
        if store.family == .sqlite {
            try await store.sql.raw("DROP TRIGGER vigil_audit_no_update").run()
            try await store.sql.raw("DROP TRIGGER vigil_audit_no_delete").run()
        } else {
            try await store.sql.raw("DROP TRIGGER vigil_audit_append_only ON vigil_audit").run()
        }
    }

    @Test(arguments: TestEngine.available)
    func intactLogVerifiesAndTimelineKeepsOrderActorAndReason(_ engine: TestEngine) async throws {
        try await withAudit(engine, entities: 3, recordsEach: 4) { _, audit in
            let result = try await audit.verify(batchSize: 5)
            #expect(result.intact)
            #expect(result.recordsChecked == 12)
            #expect(result.entitiesChecked == 3)
            let timeline = try await audit.timeline(of: EntityRef("alpha.thing", "e1"))
            #expect(timeline.count == 4)
            #expect(timeline.first?.previousHash == nil)
            #expect(zip(timeline, timeline.dropFirst()).allSatisfy { $1.previousHash == $0.hash })
            #expect(timeline.allSatisfy { $0.actor == "system:test" && $0.reason == "why not" && $0.requestID == "req-a" && $0.region == "BR-SP" })
            #expect(timeline.last?.fieldChanges == [FieldChange(field: "n", before: .integer(2), after: .integer(3))])
        }
    }

    @Test(arguments: TestEngine.available)
    func logIsAppendOnly(_ engine: TestEngine) async throws {
        try await withAudit(engine, entities: 1, recordsEach: 1) { store, _ in
            await #expect(throws: (any Error).self) { try await store.sql.raw("UPDATE vigil_audit SET actor = 'someone else'").run() }
            await #expect(throws: (any Error).self) { try await store.sql.raw("DELETE FROM vigil_audit").run() }
        }
    }

    @Test(arguments: TestEngine.available)
    func editedRecordIsFoundAndNamed(_ engine: TestEngine) async throws {
        try await withAudit(engine, entities: 2, recordsEach: 3) { store, audit in
            try await dropAppendOnlyGuards(store)
            let target = try await audit.timeline(of: EntityRef("alpha.thing", "e1"))[1]
            try await store.sql.raw("UPDATE vigil_audit SET changes = '[]' WHERE id = \(bind: target.id)").run()
            let result = try await audit.verify()
            #expect(result.firstBroken?.sequence == target.sequence)
            #expect(result.firstBroken?.problem.contains("edited") == true)
        }
    }

    @Test(arguments: TestEngine.available)
    func removedRecordBreaksTheChainOfItsEntity(_ engine: TestEngine) async throws {
        try await withAudit(engine, entities: 2, recordsEach: 3) { store, audit in
            try await dropAppendOnlyGuards(store)
            let timeline = try await audit.timeline(of: EntityRef("alpha.thing", "e0"))
            try await store.sql.raw("DELETE FROM vigil_audit WHERE id = \(bind: timeline[1].id)").run()
            let result = try await audit.verify()
            #expect(result.firstBroken?.sequence == timeline[2].sequence)
            #expect(result.firstBroken?.entity == "alpha.thing/e0")
        }
    }

    @Test(arguments: TestEngine.available)
    func rewrittenRecordWithRecomputedHashIsCaughtByTheNextLink(_ engine: TestEngine) async throws {
        try await withAudit(engine, entities: 1, recordsEach: 3) { store, audit in
            try await dropAppendOnlyGuards(store)
            // A careful tamperer recomputes the edited record's own hash, but not its successor's link.
            let timeline = try await audit.timeline(of: EntityRef("alpha.thing", "e0"))
            try await store.sql.raw("UPDATE vigil_audit SET actor = 'user:mallory', hash = 'forged' WHERE id = \(bind: timeline[1].id)").run()
            let result = try await audit.verify()
            #expect(result.firstBroken?.sequence == timeline[1].sequence)
        }
    }
}
