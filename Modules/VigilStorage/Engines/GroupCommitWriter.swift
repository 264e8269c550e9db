import Foundation
import Kernel
import SQLKit
import Synchronization

/// Group commit for the single SQLite writer. Transactions that arrive while one is running wait
/// in a queue; the next turn runs all of them inside one SQLite transaction, each in its own
/// SAVEPOINT, and commits once. A failing transaction rolls back to its savepoint and fails alone;
/// every caller is answered only after the COMMIT that made its work durable (or failed it).
///
/// Why: a case intake dirties a dozen pages (table and index leaves of cases, audit, outbox,
/// counters) and, with synchronous=FULL, costs an fsync. Thirty intakes in one commit share most
/// of those pages and one fsync; one per commit capped intake near 900 per second.
final class GroupCommitWriter: Sendable {
    private struct Queue {
        var pending: [any PendingWrite] = []
        var leaderActive = false
    }

    private let queue = Mutex(Queue())
    fileprivate let session: any SQLDatabase
    private let maxBatch: Int
    /// Where turns run: a thread of the writer's own (see `DedicatedThread`), or, without one, the
    /// cooperative pool.
    private let executor: (any TaskExecutor)?

    init(session: any SQLDatabase, maxBatch: Int = 128, executor: (any TaskExecutor)? = nil) {
        self.session = session
        self.maxBatch = maxBatch
        self.executor = executor
    }

    /// Runs `body` in the next group commit and returns its result once that commit is durable.
    func write<R: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<R, any Error>) in
            let write = Write(body: body, continuation: continuation)
            let lead = queue.withLock { queue -> Bool in
                queue.pending.append(write)
                guard !queue.leaderActive else { return false }
                queue.leaderActive = true
                return true
            }
            if lead {
                // The first caller of an idle writer drains the queue on its own task, on the
                // writer's thread.
                Task(executorPreference: executor) { await self.drain() }
            }
        }
    }

    private func drain() async {
        while true {
            let batch = queue.withLock { queue -> [any PendingWrite] in
                let batch = Array(queue.pending.prefix(maxBatch))
                queue.pending.removeFirst(batch.count)
                if batch.isEmpty { queue.leaderActive = false }
                return batch
            }
            if batch.isEmpty { return }
            await commit(batch)
        }
    }

    private func commit(_ batch: [any PendingWrite]) async {
        if batch.count > 1, await commitWithoutSavepoints(batch) { return }
        do {
            try await session.raw("BEGIN IMMEDIATE").run()
        } catch {
            for write in batch { write.finish(committed: false, batchError: error) }
            return
        }
        do {
            for write in batch {
                try await session.raw("SAVEPOINT vigil_write").run()
                if await write.perform(on: session) {
                    try await session.raw("RELEASE vigil_write").run()
                } else {
                    try await session.raw("ROLLBACK TO vigil_write").run()
                    try await session.raw("RELEASE vigil_write").run()
                }
            }
            try await session.raw("COMMIT").run()
        } catch {
            try? await session.raw("ROLLBACK").run()
            for write in batch { write.finish(committed: false, batchError: error) }
            return
        }
        for write in batch { write.finish(committed: true, batchError: nil) }
    }
}

extension GroupCommitWriter {
    /// The common case first: every write of the batch succeeds, so none needs a savepoint (two
    /// statements and a copy of each page it touches into the sub-journal). If one fails, the whole
    /// batch rolls back and `commit` runs it again with a savepoint per write; a write's work is
    /// only ever kept from the run whose COMMIT its caller is answered after.
    fileprivate func commitWithoutSavepoints(_ batch: [any PendingWrite]) async -> Bool {
        do {
            try await session.raw("BEGIN IMMEDIATE").run()
        } catch {
            return false
        }
        for write in batch where !(await write.perform(on: session)) {
            try? await session.raw("ROLLBACK").run()
            return false
        }
        do {
            try await session.raw("COMMIT").run()
        } catch {
            try? await session.raw("ROLLBACK").run()
            return false
        }
        for write in batch { write.finish(committed: true, batchError: nil) }
        return true
    }
}

/// One caller's transaction waiting for its turn.
private protocol PendingWrite: Sendable {
    /// Runs the body; false when it threw (its work is then rolled back to its savepoint).
    func perform(on session: any SQLDatabase) async -> Bool
    /// Answers the caller: its result if the batch committed, else the error.
    func finish(committed: Bool, batchError: (any Error)?)
}

private final class Write<R: Sendable>: PendingWrite {
    private let body: @Sendable (any SQLDatabase) async throws -> R
    private let continuation: CheckedContinuation<R, any Error>
    private let outcome = Mutex<Result<R, any Error>?>(nil)

    init(body: @escaping @Sendable (any SQLDatabase) async throws -> R, continuation: CheckedContinuation<R, any Error>) {
        self.body = body
        self.continuation = continuation
    }

    func perform(on session: any SQLDatabase) async -> Bool {
        do {
            let value = try await body(session)
            outcome.withLock { $0 = .success(value) }
            return true
        } catch {
            outcome.withLock { $0 = .failure(error) }
            return false
        }
    }

    func finish(committed: Bool, batchError: (any Error)?) {
        let result = outcome.withLock { $0 }
        switch (result, committed) {
        case (.failure(let error)?, _):
            continuation.resume(throwing: error)
        case (.success(let value)?, true):
            continuation.resume(returning: value)
        default:
            continuation.resume(throwing: batchError ?? VigilError(.internal, "the write was not committed"))
        }
    }
}
