import Foundation
import JSONCoding
import Kernel

/// `it-service-desk.ticket.changed`: a ticket was opened or moved (status, assignee, approval).
public struct TicketChanged: DomainEventPayload, Equatable {
    public static let eventType = "it-service-desk.ticket.changed"
    public static let eventVersion = 1

    public let ticketId: String
    public let reference: String
    public let change: String
    public let status: String
    public let priority: String
    public let site: String
}

/// `it-service-desk.ticket.sla-breached`: a ticket's clock passed its deadline.
public struct TicketSLABreached: DomainEventPayload, Equatable {
    public static let eventType = "it-service-desk.ticket.sla-breached"
    public static let eventVersion = 1

    public let ticketId: String
    public let reference: String
    public let clock: String
    public let dueAt: Date
    public let priority: String
}

/// One line of a ticket's history, as agents read it.
public struct TicketHistoryEntry: Codable, Sendable, Hashable {
    public let id: String
    public let at: Date
    public let actor: String
    public let kind: TicketHistoryKind
    public let text: String?
    public let details: JSONValue
}
