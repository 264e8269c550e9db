import Foundation
import Kernel
import Logging

/// Delivers outbox events to subscribers, at least once and in order per subscriber. A failing
/// delivery is retried with exponential backoff; after `maxAttempts` the event is dead-lettered
/// and the subscriber moves on, so one poisoned event cannot stop a subscriber forever.
public struct OutboxDispatcher: Sendable {
    public struct RetryPolicy: Sendable {
        public var maxAttempts: Int = 10
        public var baseDelay: Double = 1
        public var maxDelay: Double = 600
        public init() {}

        /// 1 s, 2 s, 4 s … capped, with up to 20% jitter so that retries of many events spread out.
        public func delay(afterAttempt attempt: Int) -> Double {
            let exponential = min(maxDelay, baseDelay * pow(2, Double(max(0, attempt - 1))))
            return exponential * (1 + Double.random(in: 0...0.2))
        }
    }

    let store: OutboxStore
    let subscriptions: [EventSubscription]
    let clock: any WallClock
    let logger: Logger
    let policy: RetryPolicy
    let batchSize: Int

    public init(
        database: any ManagedDatabase, subscriptions: [EventSubscription], clock: any WallClock, logger: Logger, policy: RetryPolicy = .init(),
        batchSize: Int = 200
    ) {
        self.store = OutboxStore(database: database)
        self.subscriptions = subscriptions
        self.clock = clock
        self.logger = logger
        self.policy = policy
        self.batchSize = batchSize
    }

    /// One pass over every subscriber; returns how many deliveries succeeded.
    @discardableResult
    public func deliverPending() async throws -> Int {
        var delivered = 0
        for subscription in subscriptions {
            delivered += try await deliver(to: subscription)
        }
        return delivered
    }

    private func deliver(to subscription: EventSubscription) async throws -> Int {
        let state = try await store.state(of: subscription.name, now: clock.now())
        guard state.nextAttemptAt <= clock.now().epochMicros else { return 0 }
        let events = try await store.events(after: state.position, types: subscription.eventTypes, limit: batchSize)
        guard !events.isEmpty else { return 0 }
        var position = state.position
        var delivered = 0
        for event in events {
            do {
                try await subscription.handler(event)
                position = event.sequence
                delivered += 1
            } catch {
                let attempts = state.attempts + 1
                let message = String(describing: error)
                logger.warning(
                    "event delivery failed",
                    metadata: [
                        "subscriber": "\(subscription.name)", "event": "\(event.type)#\(event.sequence)", "attempt": "\(attempts)", "error": "\(message)",
                    ])
                let failure: OutboxStore.DeliveryFailure =
                    attempts >= policy.maxAttempts
                    ? .deadLetter(event, attempts: attempts, error: message)
                    : .retry(attempts: attempts, nextAttempt: clock.now().addingTimeInterval(policy.delay(afterAttempt: attempts)), error: message)
                try await store.save(subscriber: subscription.name, position: position, failure: failure, now: clock.now())
                return delivered
            }
        }
        try await store.save(subscriber: subscription.name, position: position, failure: nil, now: clock.now())
        return delivered
    }
}
