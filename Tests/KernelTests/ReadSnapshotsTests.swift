import Foundation
import Kernel
import Synchronization
import Testing

/// Kept reads are served only while exact: a change makes the next asker compute again, askers
/// who have seen the same changes share one computation, and nothing is kept past `maxAge`.
@Suite struct ReadSnapshotsTests {
    final class Counter: Sendable {
        let value = Atomic<Int>(0)
        func next() -> Int { value.add(1, ordering: .relaxed).newValue }
    }

    @Test func aKeptReadIsServedUntilTheNextChange() async throws {
        let snapshots = ReadSnapshots()
        let reads = Counter()
        let first = try await snapshots.value("figures") { reads.next() }
        #expect(try await snapshots.value("figures") { reads.next() } == first)
        #expect(try await snapshots.value("other key") { reads.next() } == 2, "another key is another read")
        snapshots.recordChange()
        #expect(try await snapshots.value("figures") { reads.next() } == 3, "a change makes it compute again")
        #expect(try await snapshots.value("figures") { reads.next() } == 3)
    }

    @Test func askersWhoSawTheSameChangesShareOneComputation() async throws {
        let snapshots = ReadSnapshots()
        let reads = Counter()
        let results = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    try await snapshots.value("figures") {
                        try await Task.sleep(for: .milliseconds(50))
                        return reads.next()
                    }
                }
            }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(Set(results) == [1] && reads.value.load(ordering: .relaxed) == 1)
    }

    @Test func aChangeDuringTheReadIsNotHiddenByIt() async throws {
        let snapshots = ReadSnapshots()
        let reads = Counter()
        // The change lands while the first read runs: its result must not be served afterwards.
        _ = try await snapshots.value("figures") {
            snapshots.recordChange()
            return reads.next()
        }
        #expect(try await snapshots.value("figures") { reads.next() } == 2)
    }

    @Test func pastItsMaximumAgeAKeptReadIsServedOnceMoreWhileAFreshOneIsComputed() async throws {
        let snapshots = ReadSnapshots(maxAge: .milliseconds(100))
        let reads = Counter()
        _ = try await snapshots.value("figures") { reads.next() }
        try await Task.sleep(for: .milliseconds(150))
        // Another process may have written meanwhile: the person asking gets the kept figures at
        // once, and the next one the fresh figures computed behind them.
        #expect(try await snapshots.value("figures") { reads.next() } == 1)
        var fresh = 1
        for _ in 0..<100 where fresh == 1 {
            try await Task.sleep(for: .milliseconds(10))
            fresh = try await snapshots.value("figures") { reads.next() }
        }
        #expect(fresh == 2)
    }

    @Test func aFailedReadIsNotKept() async throws {
        let snapshots = ReadSnapshots()
        await #expect(throws: VigilError.self) { try await snapshots.value("figures") { () async throws -> Int in throw VigilError(.unavailable, "down") } }
        #expect(try await snapshots.value("figures") { 7 } == 7)
    }

    @Test func aRefreshToldOfAChangeSharesFiguresComputedSinceItAndOnlyThose() async throws {
        let snapshots = ReadSnapshots()
        let reads = Counter()
        let told = Date()
        try await Task.sleep(for: .milliseconds(5))
        let first = try await snapshots.value("figures") { reads.next() }
        // A later change: a plain request counts again, a refresh told of the earlier change does not.
        snapshots.recordChange()
        #expect(try await ReadSnapshots.$toldOfChangeAt.withValue(told) { try await snapshots.value("figures") { reads.next() } } == first)
        try await Task.sleep(for: .milliseconds(5))
        let later = Date()
        try await Task.sleep(for: .milliseconds(5))
        #expect(try await ReadSnapshots.$toldOfChangeAt.withValue(later) { try await snapshots.value("figures") { reads.next() } } == 2)
        snapshots.recordChange()
        #expect(try await snapshots.value("figures") { reads.next() } == 3, "a plain request is exact")
    }
}
