import Kernel

/// Who reported: the three business lines of the desk.
public enum BusinessLine: String, Codable, Sendable, StoredEnum {
    case drivers
    case clients
    case businessUnits = "business-units"
}

/// S1 is the most severe: a life at risk.
public enum Severity: String, Codable, Sendable, StoredEnum, Comparable {
    case s1 = "S1", s2 = "S2", s3 = "S3", s4 = "S4"

    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// Where a case is in its lifecycle. Intake opens cases as `new`; the transitions between the
/// others are the desk workflow's.
public enum CaseStatus: String, Codable, Sendable, StoredEnum {
    case new, triaged, assigned
    case inProgress = "in-progress"
    case waiting, escalated, resolved, closed
}

/// The categories of the desk. (Per-region taxonomies come with the desk workflow.)
public enum CaseCategory {
    public static let all: [String] = [
        "traffic-accident", "assault", "robbery", "harassment", "medical-emergency", "threat",
        "dangerous-goods", "fraud", "lost-item", "property-damage", "other",
    ]
}

/// Whom a waiting case waits on.
public enum WaitingOn: String, Codable, Sendable, StoredEnum {
    case reporter
    case thirdParty = "third-party"
    case authorities
}

/// How a case ended.
public enum ResolutionCode: String, Codable, Sendable, StoredEnum {
    case resolved
    case referredToAuthorities = "referred-to-authorities"
    case duplicate
    case noActionNeeded = "no-action-needed"
    case unableToContact = "unable-to-contact"
    case falseReport = "false-report"
}

/// How fast the reporter's situation needs a response, as told at intake.
public enum Urgency: String, Codable, Sendable, StoredEnum {
    case high, medium, low
}

/// P1 (drop everything) to P4.
public enum Priority: String, Codable, Sendable, StoredEnum, Comparable {
    case p1 = "P1", p2 = "P2", p3 = "P3", p4 = "P4"

    public static func < (lhs: Priority, rhs: Priority) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The severity × urgency matrix.
    public static func of(_ severity: Severity, _ urgency: Urgency) -> Priority {
        switch (severity, urgency) {
        case (.s1, .high), (.s1, .medium), (.s2, .high): .p1
        case (.s1, .low), (.s2, .medium), (.s3, .high): .p2
        case (.s2, .low), (.s3, .medium), (.s4, .high): .p3
        case (.s3, .low), (.s4, .medium), (.s4, .low): .p4
        }
    }
}
