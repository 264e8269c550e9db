import Foundation
import Kernel
import SQLKit
import Testing
import VigilStorage
import VigilTesting

private struct SomethingHappened: DomainEventPayload {
    static let eventType = "alpha.something.happened"
    static let eventVersion = 1
    let what: String
}

private struct Boom: Error {}

@Suite struct TransactionTests {

    let invocation = Invocation(principal: Principal.system("test", permissions: []), channel: .cli, requestID: "req-1", reason: "testing")

    func count(_ store: any ManagedDatabase, _ table: String) async throws -> Int {
        try await store.sql.raw("SELECT COUNT(*) AS n FROM \(unsafeRaw: table)").first()?.decode(column: "n", as: Int.self) ?? -1
    }

    /// Concurrent transactions share commits; the ones that fail must take nothing of theirs into
    /// the shared commit and nothing of the others' out of it, and each caller hears its own result.
    @Test(arguments: TestEngine.available)
    func concurrentTransactionsFailAloneAndTheRestCommit(_ engine: TestEngine) async throws {
        try await withPlatformDatabase(engine) { store in
            let outcomes = try await withThrowingTaskGroup(of: (Int, Bool).self) { group in
                for n in 0..<60 {
                    group.addTask {
                        do {
                            let reference = try await store.transaction(domain: "alpha", invocation: invocation, now: Date()) { tx in
                                let reference = try await tx.nextReference("TST")
                                try await tx.audit(
                                    AuditEntry(
                                        action: "alpha.thing.create", entity: EntityRef("alpha.thing", "\(n)"), region: nil, changes: [], isCreation: true))
                                try await tx.publish(SomethingHappened(what: "\(n)"))
                                if n % 7 == 3 { throw Boom() }
                                return reference
                            }
                            return (n, !reference.isEmpty)
                        } catch is Boom {
                            return (n, false)
                        }
                    }
                }
                return try await group.reduce(into: [Int: Bool]()) { $0[$1.0] = $1.1 }
            }
            let failed = Set((0..<60).filter { $0 % 7 == 3 })
            #expect(outcomes.filter { !$0.value }.map(\.key).sorted() == failed.sorted())
            #expect(try await count(store, "vigil_audit") == 60 - failed.count)
            #expect(try await count(store, "vigil_outbox") == 60 - failed.count)
            let entities = try await store.sql.raw("SELECT entity_id FROM vigil_audit").all().map { try $0.decode(column: "entity_id", as: String.self) }
            #expect(Set(entities) == Set((0..<60).filter { !failed.contains($0) }.map(String.init)))
            // References were handed out only to the committed ones, without gaps or repeats.
            let last = try await store.sql.raw("SELECT value FROM vigil_sequences").first()?.decode(column: "value", as: Int.self)
            #expect(last == 60 - failed.count)
        }
    }

    @Test(arguments: TestEngine.available)
    func failingMutationLeavesNoAuditOrOutboxRowBehind(_ engine: TestEngine) async throws {
        try await withPlatformDatabase(engine) { store in
            await #expect(throws: Boom.self) {
                try await store.transaction(domain: "alpha", invocation: invocation, now: Date()) { tx in
                    _ = try await tx.nextReference("TST")
                    try await tx.audit(AuditEntry(action: "alpha.thing.create", entity: EntityRef("alpha.thing", "1"), region: nil, changes: []))
                    try await tx.publish(SomethingHappened(what: "x"))
                    throw Boom()
                }
            }
            #expect(try await count(store, "vigil_audit") == 0)
            #expect(try await count(store, "vigil_outbox") == 0)
            #expect(try await count(store, "vigil_sequences") == 0)
            // The connection is usable afterwards and a good transaction commits all three.
            try await store.transaction(domain: "alpha", invocation: invocation, now: Date()) { tx in
                try await tx.audit(AuditEntry(action: "alpha.thing.create", entity: EntityRef("alpha.thing", "1"), region: nil, changes: []))
                try await tx.publish(SomethingHappened(what: "y"))
            }
            #expect(try await count(store, "vigil_audit") == 1)
            #expect(try await count(store, "vigil_outbox") == 1)
        }
    }

    @Test(arguments: TestEngine.available)
    func referencesCountPerSeriesAndYear(_ engine: TestEngine) async throws {
        try await withPlatformDatabase(engine) { store in
            let january2026 = Date(timeIntervalSince1970: 1_768_478_400)
            let january2027 = january2026.addingTimeInterval(365 * 86_400)
            var references: [String] = []
            for date in [january2026, january2026, january2027] {
                references.append(try await store.transaction(domain: "alpha", invocation: invocation, now: date) { try await $0.nextReference("INC") })
            }
            references.append(try await store.transaction(domain: "alpha", invocation: invocation, now: january2026) { try await $0.nextReference("ITR") })
            #expect(references == ["INC-2026-000001", "INC-2026-000002", "INC-2027-000001", "ITR-2026-000001"])
        }
    }

    @Test(arguments: TestEngine.available)
    func concurrentTransactionsAllCommitWithDistinctReferences(_ engine: TestEngine) async throws {
        try await withPlatformDatabase(engine) { store in
            let references = try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<40 {
                    group.addTask {
                        try await store.transaction(domain: "alpha", invocation: invocation, now: Date(timeIntervalSince1970: 1_768_478_400)) { tx in
                            let reference = try await tx.nextReference("INC")
                            try await tx.publish(SomethingHappened(what: reference))
                            return reference
                        }
                    }
                }
                return try await group.reduce(into: [String]()) { $0.append($1) }
            }
            #expect(Set(references).count == 40)
            #expect(try await count(store, "vigil_outbox") == 40)
        }
    }

    @Test(arguments: TestEngine.available)
    func idempotencyClaimsOnceAndRefusesAReusedKey(_ engine: TestEngine) async throws {
        try await withPlatformDatabase(engine) { store in
            let key = IdempotencyKey(key: "k-1", principal: "user:a", route: "POST /x", fingerprint: "f1")
            try await store.transaction(domain: "alpha", invocation: invocation, now: Date()) { tx in try await tx.claimIdempotency(key) }
            let first = StoredResponse(
                status: 201, body: Data(#"{"id":"1","version":1}"#.utf8), contentType: "application/json", location: "/x/1", etag: "\"1\"")
            try await IdempotencyStore.complete(key, with: first, database: store, invocation: invocation, now: Date())
            #expect(try await IdempotencyStore.find(key, on: store.sql)?.response == first)
            // The same request again is a race to lose, another request with the key a mismatch.
            await #expect(throws: IdempotencyRace.self) {
                try await store.transaction(domain: "alpha", invocation: invocation, now: Date()) { tx in try await tx.claimIdempotency(key) }
            }
            let reused = IdempotencyKey(key: "k-1", principal: "user:a", route: "POST /x", fingerprint: "other body")
            await #expect {
                try await store.transaction(domain: "alpha", invocation: invocation, now: Date()) { tx in try await tx.claimIdempotency(reused) }
            } throws: {
                ($0 as? VigilError)?.kind == .idempotencyMismatch
            }
            // Another user's key of the same name is theirs.
            let otherUser = IdempotencyKey(key: "k-1", principal: "user:b", route: "POST /x", fingerprint: "f1")
            #expect(try await IdempotencyStore.find(otherUser, on: store.sql) == nil)
            try await store.transaction(domain: "alpha", invocation: invocation, now: Date()) { tx in try await tx.claimIdempotency(otherUser) }
        }
    }
}
