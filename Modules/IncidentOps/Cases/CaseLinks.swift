import Foundation
import Kernel
import SQLKit

/// How two cases relate. Parent/child is stored from the parent's side.
public enum CaseLinkKind: String, Codable, Sendable, CaseIterable {
    case duplicateOf = "duplicate-of"
    case related
    case parentOf = "parent-of"
    case childOf = "child-of"
}

public struct CaseLink: Codable, Sendable, Hashable {
    public let kind: CaseLinkKind
    public let caseId: String
    public let reference: String
    public let status: CaseStatus
}

extension CaseService {
    /// Links a case to another case the person may see; both timelines record it.
    public func link(_ key: String, kind: String, to otherKey: String, by invocation: Invocation) async throws -> [CaseLink] {
        let principal = invocation.principal
        try principal.require(IncidentOpsPermissions.caseUpdate)
        guard let linkKind = CaseLinkKind(rawValue: kind) else {
            throw VigilError.invalid("kind", .notAllowed, "must be one of \(CaseLinkKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return try await context.transaction(invocation) { tx in
            guard let source = try await store.find(key, on: tx.sql), isVisible(source, to: principal) else { throw VigilError.notFound("case \(key)") }
            guard let target = try await store.find(otherKey, on: tx.sql), isVisible(target, to: principal) else {
                throw VigilError.notFound("case \(otherKey)")
            }
            guard source.id != target.id else { throw VigilError.invalid("case", .invalid, "a case cannot be linked to itself") }
            try await insertLink(from: source, kind: linkKind, to: target, in: tx)
            return try await links(of: source.id, on: tx.sql, visibleTo: principal)
        }
    }

    func insertLink(from source: IncidentCase, kind: CaseLinkKind, to target: IncidentCase, in tx: Transaction) async throws {
        // Stored from the parent's side, so that "children of" is one index range.
        let (from, stored, to) = kind == .childOf ? (target, CaseLinkKind.parentOf, source) : (source, kind, target)
        let exists = try await tx.sql.raw(
            """
            SELECT kind FROM incident_case_links WHERE from_case = \(bind: from.id) AND to_case = \(bind: to.id) AND kind = \(bind: stored.rawValue)
            """
        ).first()
        if exists != nil { throw VigilError(.conflict, "\(source.reference) is \(kind.rawValue) \(target.reference) already") }
        try await tx.sql.raw(
            """
            INSERT INTO incident_case_links (from_case, to_case, kind, created_at, created_by)
            VALUES (\(bind: from.id), \(bind: to.id), \(bind: stored.rawValue), \(bind: tx.now.epochMicros), \(bind: tx.principal.actor))
            """
        ).run()
        for (one, other) in [(source, target), (target, source)] {
            try await appendTimeline(
                caseID: one.id, kind: .link, visibility: .internal, text: nil,
                details: .object([
                    "kind": .string(kind.rawValue), "source": .string(source.reference), "target": .string(target.reference), "other": .string(other.reference),
                ]), in: tx)
        }
        try await tx.audit(
            AuditEntry(
                action: "incident-ops.case.link", entity: source.entity, region: source.region,
                changes: [FieldChange(field: "links", before: nil, after: .string("\(kind.rawValue) \(target.reference)"))]))
    }

    func links(of caseID: String, on sql: any SQLDatabase, visibleTo principal: Principal) async throws -> [CaseLink] {
        let rows = try await sql.raw(
            """
            SELECT l.kind, l.to_case AS other, 0 AS reverse FROM incident_case_links l WHERE l.from_case = \(bind: caseID)
            UNION ALL
            SELECT l.kind, l.from_case AS other, 1 AS reverse FROM incident_case_links l WHERE l.to_case = \(bind: caseID)
            """
        ).all()
        var result: [CaseLink] = []
        for row in rows {
            guard let stored = CaseLinkKind(rawValue: try row.decode(column: "kind", as: String.self)),
                let other = try await store.find(try row.decode(column: "other", as: String.self), on: sql), isVisible(other, to: principal)
            else { continue }
            let reverse = try row.decode(column: "reverse", as: Int.self) == 1
            let kind: CaseLinkKind =
                switch (stored, reverse) {
                case (.parentOf, true): .childOf
                case (.duplicateOf, true): .related
                default: stored
                }
            result.append(CaseLink(kind: kind, caseId: other.id, reference: other.reference, status: other.status))
        }
        return result.sorted { ($0.kind.rawValue, $0.reference) < ($1.kind.rawValue, $1.reference) }
    }

    public func links(_ key: String, by principal: Principal) async throws -> [CaseLink] {
        let incident = try await get(key, by: principal)
        // A linked case shows its reference and status: only those the caller may see themselves.
        return try await links(of: incident.id, on: context.database.sql, visibleTo: principal).filter { $0.caseId != incident.id }
    }

    /// Refuses closing a parent while a child is still open.
    func requireChildrenClosed(_ incident: IncidentCase, on sql: any SQLDatabase) async throws {
        let open = try await sql.raw(
            """
            SELECT c.reference FROM incident_case_links l JOIN incident_cases c ON c.id = l.to_case
            WHERE l.from_case = \(bind: incident.id) AND l.kind = 'parent-of' AND c.status <> 'closed'
            """
        ).all().map { try $0.decode(column: "reference", as: String.self) }
        guard open.isEmpty else {
            throw VigilError(.conflict, "\(incident.reference) has open child cases: \(open.joined(separator: ", ")); close them first")
        }
    }

    /// Merges a duplicate into the case it duplicates: the duplicate is linked and closed as
    /// `duplicate` (its own timeline kept), the survivor's timeline records the merge.
    public func merge(_ duplicateKey: String, into survivorKey: String, by invocation: Invocation) async throws -> IncidentCase {
        let principal = invocation.principal
        try principal.require(IncidentOpsPermissions.caseUpdate)
        return try await context.transaction(invocation) { tx in
            guard var duplicate = try await store.find(duplicateKey, on: tx.sql), isVisible(duplicate, to: principal) else {
                throw VigilError.notFound("case \(duplicateKey)")
            }
            guard let survivor = try await store.find(survivorKey, on: tx.sql), isVisible(survivor, to: principal) else {
                throw VigilError.notFound("case \(survivorKey)")
            }
            guard duplicate.id != survivor.id else { throw VigilError.invalid("into", .invalid, "a case cannot be merged into itself") }
            guard duplicate.status != .closed else { throw VigilError(.conflict, "\(duplicate.reference) is closed already") }
            guard survivor.region == duplicate.region else { throw VigilError.invalid("into", .notAllowed, "cases of different regions are not merged") }
            try await insertLink(from: duplicate, kind: .duplicateOf, to: survivor, in: tx)
            let before = duplicate
            duplicate = CaseLifecycle.apply(duplicate, to: .closed, waitingOn: nil, resolution: .duplicate, now: tx.now)
            duplicate.resolvedAt = duplicate.resolvedAt ?? tx.now
            _ = try await tx.updateVersioned(
                table: CaseStore.table, id: duplicate.id, expectedVersion: before.version, entity: "case \(duplicateKey)",
                assignments: [
                    ("status", duplicate.status.rawValue), ("resolution_code", duplicate.resolutionCode?.rawValue),
                    ("resolved_at", duplicate.resolvedAt?.epochMicros),
                    ("closed_at", duplicate.closedAt?.epochMicros), ("waiting_on", nil as String?), ("updated_at", tx.now.epochMicros),
                ])
            try await appendTimeline(
                caseID: duplicate.id, kind: .status, visibility: .internal, text: "merged into \(survivor.reference)",
                details: .object(["from": .string(before.status.rawValue), "to": .string("closed"), "resolutionCode": .string("duplicate")]), in: tx)
            try await sla.apply(.statusChanged(from: before.status, to: .closed), caseID: duplicate.id, in: tx)
            try await escalations.closeAll(caseID: duplicate.id, in: tx)
            if let assignee = before.assignee, ![.resolved, .closed].contains(before.status) {
                try await releaseAndRefill(assignee, region: before.region, in: tx)
            }
            try await tx.audit(
                AuditEntry(
                    action: "incident-ops.case.merge", entity: duplicate.entity, region: duplicate.region,
                    changes: try FieldChange.diff(before: before.auditView, after: duplicate.auditView) + [
                        FieldChange(field: "mergedInto", before: nil, after: .string(survivor.reference))
                    ]))
            try await tx.publish(
                CaseStatusChanged(
                    caseId: duplicate.id, reference: duplicate.reference, region: duplicate.region.rawValue, from: before.status.rawValue,
                    to: "closed", waitingOn: nil, resolutionCode: "duplicate"), subject: duplicate.entity, region: duplicate.region)
            return duplicate
        }
    }

    /// A case's timeline with the timelines of the duplicates merged into it, in one order.
    public func mergedTimeline(_ key: String, by principal: Principal) async throws -> [TimelineEntry] {
        let incident = try await get(key, by: principal)
        let duplicates = try await context.database.sql.raw(
            "SELECT from_case FROM incident_case_links WHERE to_case = \(bind: incident.id) AND kind = 'duplicate-of'"
        )
        .all().map { try $0.decode(column: "from_case", as: String.self) }
        var entries: [TimelineEntry] = []
        for id in [incident.id] + duplicates {
            // A duplicate's own entries only for those who may see the duplicate.
            if id != incident.id, let duplicate = try await store.find(id, on: context.database.sql), !isVisible(duplicate, to: principal) { continue }
            entries += try await TimelineStore().all(caseID: id, on: context.database.sql)
        }
        return try await visibleEntries(entries.sorted { ($0.at, $0.id) < ($1.at, $1.id) }, to: principal)
    }
}
