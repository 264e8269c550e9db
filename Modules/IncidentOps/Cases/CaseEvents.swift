import Foundation
import Kernel

/// `incident-ops.case.opened`: a new case entered the desk.
public struct CaseOpened: DomainEventPayload, Equatable {
    public static let eventType = "incident-ops.case.opened"
    public static let eventVersion = 1

    public let caseId: String
    public let reference: String
    public let region: String
    public let businessLine: String
    public let category: String
    public let severity: String
    public let sensitive: Bool

    public init(caseId: String, reference: String, region: String, businessLine: String, category: String, severity: String, sensitive: Bool) {
        self.caseId = caseId
        self.reference = reference
        self.region = region
        self.businessLine = businessLine
        self.category = category
        self.severity = severity
        self.sensitive = sensitive
    }
}

/// `incident-ops.case.updated`: intake details were corrected.
public struct CaseUpdated: DomainEventPayload, Equatable {
    public static let eventType = "incident-ops.case.updated"
    public static let eventVersion = 1

    public let caseId: String
    public let reference: String
    public let changedFields: [String]

    public init(caseId: String, reference: String, changedFields: [String]) {
        self.caseId = caseId
        self.reference = reference
        self.changedFields = changedFields
    }
}

/// `incident-ops.case.status-changed`: a case moved through its lifecycle.
public struct CaseStatusChanged: DomainEventPayload, Equatable {
    public static let eventType = "incident-ops.case.status-changed"
    public static let eventVersion = 1

    public let caseId: String
    public let reference: String
    public let region: String
    public let from: String
    public let to: String
    public let waitingOn: String?
    public let resolutionCode: String?

    public init(caseId: String, reference: String, region: String, from: String, to: String, waitingOn: String?, resolutionCode: String?) {
        self.caseId = caseId
        self.reference = reference
        self.region = region
        self.from = from
        self.to = to
        self.waitingOn = waitingOn
        self.resolutionCode = resolutionCode
    }
}

/// `incident-ops.case.assigned`: a case got an analyst (by a queue's strategy, a coordinator or a claim).
public struct CaseAssigned: DomainEventPayload, Equatable {
    public static let eventType = "incident-ops.case.assigned"
    public static let eventVersion = 1
    public let caseId: String
    public let reference: String
    public let region: String
    public let assignee: String
    public let previousAssignee: String?
    public let how: String
}

/// `incident-ops.case.unassigned`: a case waits in its queue because nobody can take it; the
/// coordinator of the region is the audience.
public struct CaseWaitingInQueue: DomainEventPayload, Equatable {
    public static let eventType = "incident-ops.case.waiting-in-queue"
    public static let eventVersion = 1
    public let caseId: String
    public let reference: String
    public let region: String
    public let queue: String
    public let reason: String
}

/// A note was added to a case's timeline. The text is not in the event (it may hold personal
/// details); readers fetch the timeline, which applies their permissions.
public struct CaseNoteAdded: DomainEventPayload, Equatable {
    public static let eventType = "incident-ops.case.note-added"
    public static let eventVersion = 1

    public let caseId: String
    public let reference: String
    public let region: String
    public let visibility: String

    public init(caseId: String, reference: String, region: String, visibility: String) {
        self.caseId = caseId
        self.reference = reference
        self.region = region
        self.visibility = visibility
    }
}
