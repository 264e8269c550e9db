import Foundation
import JSONCoding

/// What a domain says happened, for other domains and outside systems. Each payload type names
/// its event type (`incident-ops.case.opened`) and version; a change of shape is a new version.
public protocol DomainEventPayload: Codable, Sendable {
    static var eventType: String { get }
    static var eventVersion: Int { get }
}

/// An event as stored in the outbox and delivered (at least once) to subscribers and webhooks.
public struct DomainEvent: Sendable, Codable, Hashable {
    /// Position in the outbox; 0 until written.
    public let sequence: Int64
    /// The event's own id (lowercase UUID), for consumers to drop duplicates of an at-least-once delivery.
    public let id: String
    public let type: String
    public let version: Int
    public let domain: DomainID
    public let subject: EntityRef?
    public let region: RegionCode?
    public let occurredAt: Date
    public let requestID: String
    public let actor: String
    public let payload: JSONValue

    public init(
        sequence: Int64, id: String, type: String, version: Int, domain: DomainID, subject: EntityRef?, region: RegionCode?, occurredAt: Date,
        requestID: String, actor: String, payload: JSONValue
    ) {
        self.sequence = sequence
        self.id = id
        self.type = type
        self.version = version
        self.domain = domain
        self.subject = subject
        self.region = region
        self.occurredAt = occurredAt
        self.requestID = requestID
        self.actor = actor
        self.payload = payload
    }

    /// The typed payload, or nil when this event is of another type or version.
    public func decode<Payload: DomainEventPayload>(_ type: Payload.Type) throws -> Payload? {
        guard self.type == Payload.eventType, version == Payload.eventVersion else { return nil }
        return try VigilJSON.decoder.decode(Payload.self, from: VigilJSON.encoder.encode(payload))
    }
}

/// A domain's interest in events (its own or other domains'). The name identifies the subscriber's
/// delivery position, so it must stay stable across releases.
public struct EventSubscription: Sendable {
    public let name: String
    public let eventTypes: Set<String>
    public let handler: @Sendable (DomainEvent) async throws -> Void

    public init(name: String, eventTypes: Set<String>, handler: @escaping @Sendable (DomainEvent) async throws -> Void) {
        self.name = name
        self.eventTypes = eventTypes
        self.handler = handler
    }
}
