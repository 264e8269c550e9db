import Foundation
import Kernel

/// What happens to a case that moves its clocks.
enum SLATrigger: Sendable, Hashable {
    case statusChanged(from: CaseStatus, to: CaseStatus)
    case noteAdded
    case acknowledged
}

/// One thing a trigger did to one clock, for the timeline.
struct SLAChange: Sendable, Hashable {
    enum Action: String, Sendable { case paused, resumed, stopped, restarted }
    let kind: SLAClockKind
    let action: Action
}

/// The rules that move clocks, as one pure function: the live path applies it as things happen,
/// the check replays it over a case's timeline, and the two must agree.
///   - waiting pauses every running clock; leaving waiting resumes them;
///   - acknowledge stops when the case moves on from new or assigned, is acknowledged or gets a note;
///   - first action stops at the first note or when work starts (in progress, waiting, escalated, resolved);
///   - resolve stops when resolved or closed; reopening restarts it, keeping its counted time;
///   - closing stops everything still open.
enum SLARules {
    static func apply(_ trigger: SLATrigger, to clocks: inout [SLAClock], at now: Date) -> [SLAChange] {
        var changes: [SLAChange] = []
        func act(_ kind: SLAClockKind, _ action: SLAChange.Action, _ body: (inout SLAClock) -> Bool) {
            guard let index = clocks.firstIndex(where: { $0.kind == kind }) else { return }
            if body(&clocks[index]) { changes.append(SLAChange(kind: kind, action: action)) }
        }
        switch trigger {
        case .acknowledged:
            act(.acknowledge, .stopped) { $0.stop(at: now) }
        case .noteAdded:
            act(.acknowledge, .stopped) { $0.stop(at: now) }
            act(.firstAction, .stopped) { $0.stop(at: now) }
        case .statusChanged(let from, let to) where from == to:
            break
        case .statusChanged(let from, let to):
            if from == .waiting && to != .waiting {
                for kind in SLAClockKind.allCases { act(kind, .resumed) { $0.resume(at: now) } }
            }
            // Assignment is not acknowledgement: the analyst's first move out of new/assigned is.
            if (from == .new || from == .assigned) && to != .assigned { act(.acknowledge, .stopped) { $0.stop(at: now) } }
            if [.inProgress, .waiting, .escalated, .resolved, .closed].contains(to) {
                act(.acknowledge, .stopped) { $0.stop(at: now) }
                act(.firstAction, .stopped) { $0.stop(at: now) }
            }
            if (from == .resolved || from == .closed) && to == .inProgress {
                act(.resolve, .restarted) { $0.restart(at: now) }
            }
            if to == .resolved || to == .closed {
                for kind in SLAClockKind.allCases { act(kind, .stopped) { $0.stop(at: now) } }
            }
            if to == .waiting {
                for kind in SLAClockKind.allCases { act(kind, .paused) { $0.pause(at: now) } }
            }
        }
        return changes
    }
}
