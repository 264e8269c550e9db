import Foundation
import JSONCoding
import Kernel
import SQLKit

/// SLA targets per type and priority, the built-in ones where none is set.
enum SLATargetStore {
    static func target(type: TicketType, priority: String, on sql: any SQLDatabase) async throws -> SLATarget {
        if let row = try await sql.raw(
            "SELECT own_minutes, resolve_minutes FROM it_sla_targets WHERE type = \(bind: type.rawValue) AND priority = \(bind: priority)"
        ).first() {
            return SLATarget(
                type: type, priority: priority, ownMinutes: try row.decode(column: "own_minutes", as: Int.self),
                resolveMinutes: try row.decode(column: "resolve_minutes", as: Int.self), isDefault: false)
        }
        let fallback = TicketRules.defaultTargets[priority] ?? (60, 24 * 60)
        return SLATarget(type: type, priority: priority, ownMinutes: fallback.own, resolveMinutes: fallback.resolve, isDefault: true)
    }
}
