import Foundation
import Kernel
import SQLParts

/// The desk's set-up read on every intake (queues, SLA and escalation policies, runbooks,
/// taxonomy), inside the single writer's turn where each query costs throughput.
enum DeskCaches {
    static let ttl: TimeInterval = 10
    static let queues = LookupCache<[CaseQueue]>(ttl: ttl)
    static let slaPolicies = LookupCache<SLAPolicy>(ttl: ttl)
    static let escalationPolicies = LookupCache<EscalationPolicy>(ttl: ttl)
    static let sops = LookupCache<SOP?>(ttl: ttl)
    static let taxonomy = LookupCache<[String]>(ttl: ttl)

    static func key(_ parts: String...) -> String { parts.joined(separator: "|") }
}
