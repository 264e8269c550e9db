import Foundation
import Kernel
import SQLKit
import Synchronization
import Testing
import VigilServer
import VigilStorage
import VigilTesting

/// `DomainContext.transaction`'s rule, shown: on SQLite, transactions that queue behind the single
/// writer commit together, and when one of them fails the others run again under savepoints. So a
/// succeeding body may run twice; what it wrote through `tx` (rows, audit, events, the
/// idempotency claim) is kept from one run only, and what the caller does after `transaction`
/// returns happens once per call. On PostgreSQL no body reruns, and the same holds.
@Suite struct TransactionReplayTests {
    static let domain: DomainID = "replay"

    @Test(arguments: TestEngine.available)
    func aSucceedingBodyMayRunTwiceButWritesOnceAndItsCallerContinuesOnce(_ engine: TestEngine) async throws {
        try await withReplayRuntime(engine) { test, context in
            let runs = Tally()
            let afterwards = Tally()
            var succeeded: [String] = []
            var failed: [String] = []
            var claims: [String: IdempotencyClaim] = [:]
            var sawRerun = false
            var rounds = 0
            // A batch forms only when transactions queue while the writer is busy, and a rerun
            // only when a success is in it before the failure. The test holds the writer and
            // queues them in that order; the last few reach the queue a moment after they say they
            // are about to, so a round may miss, and the round repeats until one shows a rerun.
            for round in 0..<8 {
                // Two rounds at least; more on SQLite until a batch was replayed.
                if round >= 2 && (sawRerun || engine == .postgres) { break }
                rounds += 1
                let gate = Gate()
                let (ready, readySignal) = AsyncStream<Void>.makeStream()
                var readyIterator = ready.makeAsyncIterator()
                let holderID = "r\(round)-holder"
                let holder = Task {
                    try await context.transaction(Self.invocation) { tx in
                        runs.add(holderID)
                        readySignal.yield()
                        await gate.wait()
                        try await Self.write(holderID, in: tx)
                    }
                    afterwards.add(holderID)
                }
                _ = await readyIterator.next()  // the holder's body runs: the writer is busy.

                var calls: [Task<Void, any Error>] = []
                let ids = (0..<9).map { "r\(round)-\($0)" }
                let failing = ids[6]
                for id in ids {
                    let claim = IdempotencyClaim(key: IdempotencyKey(key: id, principal: "user:replay@example.com", route: "POST /replay", fingerprint: id))
                    claims[id] = claim
                    calls.append(
                        Task {
                            try await IdempotencyClaim.$current.withValue(claim) {
                                readySignal.yield()
                                try await context.transaction(Self.invocation) { tx in
                                    runs.add(id)
                                    try await Self.write(id, in: tx)
                                    if id == failing { throw Boom() }
                                }
                            }
                            afterwards.add(id)
                        })
                    _ = await readyIterator.next()
                }
                try await Task.sleep(for: .milliseconds(30))
                gate.open()
                try await holder.value
                for (id, call) in zip(ids, calls) {
                    do {
                        try await call.value
                        succeeded.append(id)
                    } catch is Boom {
                        failed.append(id)
                    }
                }
                succeeded.append(holderID)
                sawRerun = sawRerun || ids.contains { $0 != failing && runs[$0] > 1 }
            }
            #expect(failed == (0..<rounds).map { "r\($0)-6" })
            if engine == .sqlite {
                #expect(sawRerun, "no succeeding body ran twice in 8 rounds of a batch with a failure")
            }
            // Whatever ran twice, the database holds each success once and each failure not at all,
            // and each caller went on exactly once.
            let rows = try await Self.counts(context, "SELECT id AS k, COUNT(*) AS n FROM replay_rows GROUP BY id")
            let audit = try await Self.counts(
                context, "SELECT entity_id AS k, COUNT(*) AS n FROM vigil_audit WHERE entity_type = 'replay.row' GROUP BY entity_id")
            let events = try await Self.counts(
                context, "SELECT subject_id AS k, COUNT(*) AS n FROM vigil_outbox WHERE subject_type = 'replay.row' GROUP BY subject_id")
            let keys = try await Self.counts(context, "SELECT key AS k, COUNT(*) AS n FROM vigil_request_keys GROUP BY key")
            let once = Dictionary(uniqueKeysWithValues: succeeded.map { ($0, 1) })
            #expect(rows == once)
            #expect(audit == once)
            #expect(events == once)
            #expect(afterwards.all == once)
            #expect(keys == once.filter { !$0.key.hasSuffix("holder") })
            #expect(succeeded.allSatisfy { claims[$0]?.isCommitted ?? true } && failed.allSatisfy { claims[$0]?.isCommitted == false })
            // The bodies did run more often than their callers went on, where a batch was replayed.
            if engine == .sqlite { #expect(runs.all.values.reduce(0, +) > afterwards.all.values.reduce(0, +) + failed.count) }
            #expect(try await AuditLog(database: test.runtime.database).verify().intact)
        }
    }

    /// Under an idempotent request, the first transaction that commits takes the key in its own
    /// commit; later transactions of the same request do not try again; another request holding the
    /// same key loses the race and writes nothing.
    @Test(arguments: TestEngine.available)
    func anIdempotencyClaimIsTakenByTheRequestsFirstCommitOnly(_ engine: TestEngine) async throws {
        try await withReplayRuntime(engine) { test, context in
            let key = IdempotencyKey(key: "claim-1", principal: "user:replay@example.com", route: "POST /replay", fingerprint: "body-1")
            let claim = IdempotencyClaim(key: key)
            try await IdempotencyClaim.$current.withValue(claim) {
                // A failed transaction takes nothing: the claim commits with the request's rows or not at all.
                await #expect(throws: Boom.self) {
                    try await context.transaction(Self.invocation) { tx in
                        try await Self.write("failed", in: tx)
                        throw Boom()
                    }
                }
                #expect(!claim.isCommitted)
                #expect(try await IdempotencyStore.find(key, on: context.database.sql) == nil)
                try await context.transaction(Self.invocation) { tx in try await Self.write("first", in: tx) }
                #expect(claim.isCommitted)
                #expect(try await IdempotencyStore.find(key, on: context.database.sql)?.matches(key) == true)
                // Were it claimed again, the key's own row would refuse it with IdempotencyRace.
                try await context.transaction(Self.invocation) { tx in try await Self.write("second", in: tx) }
            }
            #expect(try await test.count("vigil_request_keys") == 1)

            // Another task with the same key, as a concurrent retry of the request would be.
            let rival = IdempotencyClaim(key: key)
            let outcome = await Task {
                await IdempotencyClaim.$current.withValue(rival) {
                    do {
                        try await context.transaction(Self.invocation) { tx in try await Self.write("rival", in: tx) }
                        return "committed"
                    } catch is IdempotencyRace {
                        return "race"
                    } catch {
                        return "\(error)"
                    }
                }
            }.value
            #expect(outcome == "race")
            #expect(!rival.isCommitted)
            // Another request under the same key is told so.
            let other = IdempotencyClaim(key: IdempotencyKey(key: "claim-1", principal: key.principal, route: key.route, fingerprint: "body-2"))
            await #expect {
                try await IdempotencyClaim.$current.withValue(other) {
                    try await context.transaction(Self.invocation) { tx in try await Self.write("other", in: tx) }
                }
            } throws: {
                ($0 as? VigilError)?.kind == .idempotencyMismatch
            }
            let rows = try await Self.counts(context, "SELECT id AS k, COUNT(*) AS n FROM replay_rows GROUP BY id")
            #expect(rows == ["first": 1, "second": 1])
            #expect(try await test.count("vigil_request_keys") == 1)
        }
    }

    // MARK: Helpers

    static let invocation = Invocation(principal: Principal.system("replay-test", permissions: []), channel: .cli, requestID: "replay")

    /// One success's writes through `tx`: a row (without a unique key, so a second copy would
    /// show), an audit record and an outbox event.
    static func write(_ id: String, in tx: Transaction) async throws {
        try await tx.sql.raw("INSERT INTO replay_rows (id) VALUES (\(bind: id))").run()
        try await tx.audit(AuditEntry(action: "replay.row.write", entity: EntityRef("replay.row", id), region: nil, changes: [], isCreation: true))
        try await tx.publish(RowWritten(id: id), subject: EntityRef("replay.row", id))
    }

    static func counts(_ context: DomainContext, _ query: SQLQueryString) async throws -> [String: Int] {
        try await context.database.sql.raw(query).all().reduce(into: [:]) { result, row in
            result[try row.decode(column: "k", as: String.self)] = try row.decode(column: "n", as: Int.self)
        }
    }
}

private struct Boom: Error {}

private struct RowWritten: DomainEventPayload {
    static let eventType = "replay.row.written"
    static let eventVersion = 1
    let id: String
}

/// How often something happened, per key, from any task.
private final class Tally: Sendable {
    private let counts = Mutex<[String: Int]>([:])
    func add(_ key: String) { counts.withLock { $0[key, default: 0] += 1 } }
    subscript(key: String) -> Int { counts.withLock { $0[key] ?? 0 } }
    var all: [String: Int] { counts.withLock { $0 } }
}

/// Shut until opened; a body that waits on it holds the writer.
private final class Gate: Sendable {
    private let state = Mutex<(open: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    func wait() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let now = state.withLock { state -> Bool in
                if state.open { return true }
                state.waiters.append(continuation)
                return false
            }
            if now { continuation.resume() }
        }
    }

    func open() {
        let waiting = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.open = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for continuation in waiting { continuation.resume() }
    }
}

/// A runtime without domains, a table for the test's rows, and a context of a domain "replay".
private func withReplayRuntime(_ engine: TestEngine, _ body: (TestRuntime, DomainContext) async throws -> Void) async throws {
    let test = try await TestRuntime.make(engine, domains: [])
    do {
        try await test.runtime.database.rawTransaction { sql in
            try await sql.raw("CREATE TABLE replay_rows (id TEXT NOT NULL)").run()
        }
        try await body(test, test.runtime.context(for: TransactionReplayTests.domain))
    } catch {
        await test.close()
        throw error
    }
    await test.close()
}
