import Foundation
import Kernel

/// The case lifecycle as an explicit table: a transition not listed here is refused with the
/// list of those that are allowed. `assigned` is reached by assigning, not by a transition.
public enum CaseLifecycle {
    public static let transitions: [CaseStatus: [CaseStatus]] = [
        .new: [.triaged, .inProgress, .waiting, .escalated, .resolved],
        .triaged: [.inProgress, .waiting, .escalated, .resolved],
        .assigned: [.triaged, .inProgress, .waiting, .escalated, .resolved],
        .inProgress: [.waiting, .escalated, .resolved],
        .waiting: [.inProgress, .escalated, .resolved],
        .escalated: [.inProgress, .waiting, .resolved],
        .resolved: [.closed, .inProgress],
        .closed: [.inProgress],
    ]

    public static func allowed(from status: CaseStatus) -> [CaseStatus] { transitions[status] ?? [] }

    public static let defaultReopenWindowDays = 7

    /// Checks one transition and its details; throws a 409 for a transition the table lacks and
    /// field errors for missing details.
    static func check(
        _ incident: IncidentCase, to target: CaseStatus, waitingOn: WaitingOn?, resolution: ResolutionCode?,
        now: Date, reopenWindowDays: Int
    ) throws(VigilError) {
        guard allowed(from: incident.status).contains(target) else {
            let options = allowed(from: incident.status).map(\.rawValue).joined(separator: ", ")
            throw VigilError(
                .conflict,
                "a case in status \(incident.status.rawValue) cannot move to \(target.rawValue); it can move to \(options.isEmpty ? "nothing" : options)")
        }
        var validator = Validator()
        if target == .waiting {
            validator.check(
                waitingOn != nil, "waitingOn", .required, "say whom the case waits on: \(WaitingOn.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if target == .resolved {
            validator.check(
                resolution != nil, "resolutionCode", .required, "give a resolution code: \(ResolutionCode.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if target == .closed {
            validator.check(resolution != nil || incident.resolutionCode != nil, "resolutionCode", .required, "a case closes with a resolution code")
        }
        try validator.finish()
        if incident.status == .closed, let closedAt = incident.closedAt,
            now.timeIntervalSince(closedAt) > Double(reopenWindowDays) * 86_400
        {
            throw VigilError(.conflict, "the case closed more than \(reopenWindowDays) days ago and can no longer be reopened; open a new case and link it")
        }
    }

    /// The case after a transition (status, its details and the dates that go with them).
    static func apply(_ incident: IncidentCase, to target: CaseStatus, waitingOn: WaitingOn?, resolution: ResolutionCode?, now: Date) -> IncidentCase {
        var next = incident
        let reopening = (incident.status == .resolved || incident.status == .closed) && target == .inProgress
        next.status = target
        next.waitingOn = target == .waiting ? waitingOn : nil
        switch target {
        case .resolved:
            next.resolutionCode = resolution
            next.resolvedAt = now
        case .closed:
            next.resolutionCode = resolution ?? incident.resolutionCode
            next.closedAt = now
        default:
            if reopening {
                next.resolutionCode = nil
                next.resolvedAt = nil
                next.closedAt = nil
                next.reopenCount += 1
            }
        }
        next.updatedAt = now
        next.version = incident.version + 1
        return next
    }
}

/// A transition as asked for (from JSON or CLI options).
public struct TransitionInput: Codable, Sendable {
    public var to: String
    public var waitingOn: String?
    public var resolutionCode: String?
    /// Why; recorded on the timeline.
    public var note: String?

    public init(to: String, waitingOn: String? = nil, resolutionCode: String? = nil, note: String? = nil) {
        self.to = to
        self.waitingOn = waitingOn
        self.resolutionCode = resolutionCode
        self.note = note
    }

    struct Parsed {
        let target: CaseStatus
        let waitingOn: WaitingOn?
        let resolution: ResolutionCode?
        let note: String?
    }

    func parsed() throws(VigilError) -> Parsed {
        var validator = Validator()
        let target = CaseStatus(rawValue: to)
        validator.check(target != nil, "to", .notAllowed, "must be one of \(CaseStatus.allCases.map(\.rawValue).joined(separator: ", "))")
        validator.check(target != .assigned, "to", .notAllowed, "a case becomes assigned by assigning it, not by a transition")
        let waiting = waitingOn.flatMap(WaitingOn.init(rawValue:))
        validator.check(
            waitingOn == nil || waiting != nil, "waitingOn", .notAllowed, "must be one of \(WaitingOn.allCases.map(\.rawValue).joined(separator: ", "))")
        let resolution = resolutionCode.flatMap(ResolutionCode.init(rawValue:))
        validator.check(
            resolutionCode == nil || resolution != nil, "resolutionCode", .notAllowed,
            "must be one of \(ResolutionCode.allCases.map(\.rawValue).joined(separator: ", "))")
        if let note { validator.check(note.count <= 10_000, "note", .tooLong, "must be at most 10000 characters") }
        try validator.finish()
        return Parsed(target: target!, waitingOn: waiting, resolution: resolution, note: note?.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
