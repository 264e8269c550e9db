import Calendars
import Foundation
import JSONCoding
import Kernel
import SQLKit

/// Shift handovers: generated at the end of a coordinator's shift (by the outgoing coordinator,
/// or by the server when they did not), acknowledged by the incoming one; unacknowledged ones are
/// flagged after a grace period.
public struct HandoverService: Sendable {
    let context: DomainContext

    public init(context: DomainContext) { self.context = context }

    var graceMinutes: Int { context.config.int(forKey: "handover.grace-minutes", default: 30) }

    public func generate(region: RegionCode, shiftEndsAt: Date?, notes: String?, by invocation: Invocation) async throws -> Handover {
        try invocation.principal.require(IncidentOpsPermissions.handoverWrite)
        try await context.requireWritable(region, by: invocation.principal)
        if let notes, notes.count > 20_000 { throw VigilError.invalid("notes", .tooLong, "must be at most 20000 characters") }
        let end = shiftEndsAt ?? context.clock.now()
        return try await write(region: region, shiftEndsAt: end, periodStart: end.addingTimeInterval(-8 * 3600), notes: notes, by: invocation)
    }

    private func write(region: RegionCode, shiftEndsAt: Date, periodStart: Date, notes: String?, by invocation: Invocation) async throws -> Handover {
        let id = context.ids.next().lowercased
        let grace = graceMinutes
        return try await context.transaction(invocation) { tx in
            let exists = try await tx.sql.raw(
                "SELECT id FROM incident_handovers WHERE region = \(bind: region.rawValue) AND shift_ends_at = \(bind: shiftEndsAt.epochMicros)"
            ).first()
            if exists != nil { throw VigilError(.conflict, "a handover for \(region) at \(ISO8601.format(shiftEndsAt)) exists already") }
            let builder = HandoverBuilder()
            let snapshot = try await builder.build(
                region: region, periodStart: periodStart, periodEnd: shiftEndsAt, now: tx.now, includingSensitive: true, on: tx.sql)
            let restricted = try await builder.build(
                region: region, periodStart: periodStart, periodEnd: shiftEndsAt, now: tx.now, includingSensitive: false, on: tx.sql)
            let snapshotText = try JSONValueEncoder.encode(snapshot).jsonText
            let restrictedText = try JSONValueEncoder.encode(restricted).jsonText
            try await tx.sql.insert(into: "incident_handovers").row([
                "id": id,
                "region": region,
                "shift_ends_at": shiftEndsAt,
                "generated_at": tx.now,
                "generated_by": tx.principal.actor,
                "notes": notes,
                "snapshot": snapshotText,
                "acknowledged_at": Date?.none,
                "acknowledged_by": String?.none,
                "restricted_snapshot": restrictedText,
            ]).run()
            try await tx.audit(
                AuditEntry(
                    action: "incident-ops.handover.generate", entity: EntityRef("incident-ops.handover", id), region: region,
                    changes: [
                        FieldChange(field: "shiftEndsAt", before: nil, after: .string(ISO8601.format(shiftEndsAt))),
                        FieldChange(field: "notes", before: nil, after: notes.map(JSONValue.string) ?? .null),
                    ], isCreation: true))
            guard let row = try await tx.sql.raw("SELECT \(unsafeRaw: Handover.columns) FROM incident_handovers WHERE id = \(bind: id)").first() else {
                throw VigilError(.internal, "the handover could not be read back")
            }
            return try Handover(RowReader(row), now: tx.now, graceMinutes: grace, seesSensitive: tx.principal.has(IncidentOpsPermissions.caseReadSensitive))
        }
    }

    public func get(_ id: String, by principal: Principal) async throws -> Handover {
        try principal.require(IncidentOpsPermissions.handoverRead)
        guard let row = try await context.database.sql.raw("SELECT \(unsafeRaw: Handover.columns) FROM incident_handovers WHERE id = \(bind: id)").first()
        else {
            throw VigilError.notFound("handover \(id)")
        }
        let handover = try Handover(
            RowReader(row), now: context.clock.now(), graceMinutes: graceMinutes, seesSensitive: principal.has(IncidentOpsPermissions.caseReadSensitive))
        try context.authorization.requireVisible(principal, region: RegionCode(stored: handover.region), entity: "handover \(id)")
        return handover
    }

    public static let listLimit = 20

    public func list(region: RegionCode, limit: Int = listLimit, by principal: Principal) async throws -> [Handover] {
        try principal.require(IncidentOpsPermissions.handoverRead)
        let limit = max(1, min(limit, Self.listLimit))
        try context.authorization.requireVisible(principal, region: region, entity: "region \(region)")
        let now = context.clock.now()
        return try await context.database.sql.raw(
            """
            SELECT \(unsafeRaw: Handover.columns) FROM incident_handovers WHERE region = \(bind: region.rawValue) ORDER BY shift_ends_at DESC LIMIT \(bind: limit)
            """
        ).all().map {
            try Handover(RowReader($0), now: now, graceMinutes: graceMinutes, seesSensitive: principal.has(IncidentOpsPermissions.caseReadSensitive))
        }
    }

    /// The incoming coordinator acknowledges; the author cannot acknowledge their own handover.
    public func acknowledge(_ id: String, by invocation: Invocation) async throws -> Handover {
        try invocation.principal.require(IncidentOpsPermissions.handoverWrite)
        let handover = try await get(id, by: invocation.principal)
        guard handover.acknowledgedAt == nil else {
            throw VigilError(.conflict, "the handover was acknowledged by \(handover.acknowledgedBy ?? "someone") already")
        }
        guard handover.generatedBy != invocation.principal.actor else {
            throw VigilError(.conflict, "the incoming coordinator acknowledges a handover, not its author")
        }
        let grace = graceMinutes
        return try await context.transaction(invocation) { tx in
            try await tx.sql.raw(
                """
                UPDATE incident_handovers SET acknowledged_at = \(bind: tx.now.epochMicros), acknowledged_by = \(bind: tx.principal.actor)
                WHERE id = \(bind: id) AND acknowledged_at IS NULL
                """
            ).run()
            try await tx.audit(
                AuditEntry(
                    action: "incident-ops.handover.acknowledge", entity: EntityRef("incident-ops.handover", id), region: RegionCode(stored: handover.region),
                    changes: [FieldChange(field: "acknowledgedBy", before: nil, after: .string(tx.principal.actor))]))
            guard let row = try await tx.sql.raw("SELECT \(unsafeRaw: Handover.columns) FROM incident_handovers WHERE id = \(bind: id)").first() else {
                throw VigilError.notFound("handover \(id)")
            }
            return try Handover(RowReader(row), now: tx.now, graceMinutes: grace, seesSensitive: tx.principal.has(IncidentOpsPermissions.caseReadSensitive))
        }
    }

    /// The server's part: a coordinator shift that ended in the last ten minutes without a
    /// handover gets one generated, so no shift ends undocumented.
    @discardableResult
    public func generateForEndedShifts() async throws -> Int {
        let now = context.clock.now()
        let ended = try await context.database.sql.raw(
            """
            SELECT DISTINCT s.region, s.ends_at, s.starts_at FROM incident_shifts s
            WHERE s.role = 'coordinator' AND s.ends_at <= \(bind: now.epochMicros) AND s.ends_at > \(bind: now.addingTimeInterval(-600).epochMicros)
              AND NOT EXISTS (SELECT 1 FROM incident_handovers h WHERE h.region = s.region AND h.shift_ends_at = s.ends_at)
            """
        ).all()
        let invocation = Invocation(
            principal: .system("handover", permissions: [IncidentOpsPermissions.handoverWrite]), channel: .job,
            requestID: "handover-\(context.ids.next().lowercased)")
        var generated = 0
        for row in ended {
            let region = RegionCode(stored: try row.decode(column: "region", as: String.self))
            let end = Date(epochMicros: try row.decode(column: "ends_at", as: Int64.self))
            let start = Date(epochMicros: try row.decode(column: "starts_at", as: Int64.self))
            do {
                _ = try await write(
                    region: region, shiftEndsAt: end, periodStart: start, notes: "Generated at shift end: the outgoing coordinator left no handover.",
                    by: invocation)
                generated += 1
            } catch let error as VigilError where error.kind == .conflict {
                continue  // written meanwhile
            }
        }
        return generated
    }
}
