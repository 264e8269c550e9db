import Foundation
import Kernel
import SQLKit
import Synchronization
import Testing
import VigilStorage
import VigilTesting

private struct Ping: DomainEventPayload, Equatable {
    static let eventType = "alpha.ping"
    static let eventVersion = 1
    let n: Int
}

private struct Unrelated: DomainEventPayload {
    static let eventType = "alpha.unrelated"
    static let eventVersion = 1
}

private struct Refused: Error {}

@Suite struct OutboxTests {
    let invocation = Invocation(principal: Principal.system("test", permissions: []), channel: .cli, requestID: "req-o")

    func publish(_ store: any ManagedDatabase, _ values: ClosedRange<Int>) async throws {
        for n in values {
            try await store.transaction(domain: "alpha", invocation: invocation, now: Date()) { tx in
                try await tx.publish(Ping(n: n), subject: EntityRef("alpha.thing", "\(n)"), region: RegionCode("BR-SP"))
                try await tx.publish(Unrelated())
            }
        }
    }

    @Test(arguments: TestEngine.available)
    func eventsReachSubscribersInOrderOnceDelivered(_ engine: TestEngine) async throws {
        try await withPlatformDatabase(engine) { store in
            try await publish(store, 1...5)
            let received = Mutex<[Int]>([])
            let subscription = EventSubscription(name: "beta.on-ping", eventTypes: [Ping.eventType]) { event in
                let ping = try event.decode(Ping.self)
                received.withLock { $0.append(ping?.n ?? -1) }
                #expect(event.subject == EntityRef("alpha.thing", "\(ping?.n ?? -1)"))
                #expect(event.region == RegionCode("BR-SP"))
                #expect(event.actor == "system:test")
            }
            let dispatcher = OutboxDispatcher(
                database: store, subscriptions: [subscription], clock: SystemWallClock(), logger: TestDatabase.quietLogger, batchSize: 2)
            while try await dispatcher.deliverPending() > 0 {}
            #expect(received.withLock { $0 } == [1, 2, 3, 4, 5])
            try await publish(store, 6...6)
            try await dispatcher.deliverPending()
            #expect(received.withLock { $0 } == [1, 2, 3, 4, 5, 6])
        }
    }

    @Test(arguments: TestEngine.available)
    func failingSubscriberIsRetriedWithBackoffThenDeadLettered(_ engine: TestEngine) async throws {
        try await withPlatformDatabase(engine) { store in
            try await publish(store, 1...2)
            let clock = FixedWallClock()
            let attempts = Mutex<[Int]>([])
            let subscription = EventSubscription(name: "beta.flaky", eventTypes: [Ping.eventType]) { event in
                let n = try event.decode(Ping.self)?.n ?? 0
                attempts.withLock { $0.append(n) }
                if n == 1 { throw Refused() }
            }
            var policy = OutboxDispatcher.RetryPolicy()
            policy.maxAttempts = 3
            let dispatcher = OutboxDispatcher(database: store, subscriptions: [subscription], clock: clock, logger: TestDatabase.quietLogger, policy: policy)
            try await dispatcher.deliverPending()
            // Backing off: nothing is tried again until the delay has passed.
            try await dispatcher.deliverPending()
            #expect(attempts.withLock { $0 } == [1])
            let state = try await OutboxStore(database: store).subscribers().first { $0.name == "beta.flaky" }
            #expect(state?.attempts == 1)
            #expect(state?.lastError?.contains("Refused") == true)
            clock.advance(by: 2)
            try await dispatcher.deliverPending()
            clock.advance(by: 5)
            try await dispatcher.deliverPending()
            try await dispatcher.deliverPending()
            // Third failure: dead-lettered, and the subscriber moves on to event 2.
            #expect(attempts.withLock { $0 } == [1, 1, 1, 2])
            let dead = try await OutboxStore(database: store).deadLetters()
            #expect(dead.count == 1 && dead[0].subscriber == "beta.flaky")
        }
    }

    @Test func signalWakesAWaiterBeforeItsTimeout() async throws {
        let signal = OutboxSignal()
        let start = ContinuousClock.now
        Task {
            try await Task.sleep(for: .milliseconds(50))
            signal.notify()
        }
        // A timeout far longer than any scheduling delay of a loaded test run (the whole suite
        // shares two cores): ending well before it means the signal woke the waiter.
        await signal.wait(timeout: .seconds(120))
        #expect(ContinuousClock.now - start < .seconds(60))
    }
}
