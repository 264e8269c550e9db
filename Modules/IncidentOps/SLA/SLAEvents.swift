import Foundation
import Kernel

/// `incident-ops.sla.warning`: a clock passed its warning share of the target.
public struct SLAWarning: DomainEventPayload, Equatable {
    public static let eventType = "incident-ops.sla.warning"
    public static let eventVersion = 1
    public let caseId: String
    public let clock: String
    public let region: String
    public let warnedAt: Date
    public let dueAt: Date?
}

/// `incident-ops.sla.breached`: a clock passed its target (`breachedAt` is when, however late it
/// was detected; a breach that happened while the server was down is detected at start).
public struct SLABreached: DomainEventPayload, Equatable {
    public static let eventType = "incident-ops.sla.breached"
    public static let eventVersion = 1
    public let caseId: String
    public let clock: String
    public let region: String
    public let breachedAt: Date
    public let detectedAt: Date
}
