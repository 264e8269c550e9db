import Foundation
import JSONCoding
import Kernel
import SQLKit

/// Runbooks and case checklists: publishing versions, the checklist a case gets at intake,
/// completing and waiving steps, and the rule that a case closes only with its mandatory steps
/// settled.
public struct SOPService: Sendable {
    let context: DomainContext

    public init(context: DomainContext) { self.context = context }

    public func publish(_ input: SOPInput, by invocation: Invocation) async throws -> SOP {
        try invocation.principal.require(IncidentOpsPermissions.deskManage)
        var validator = Validator()
        validator.check(CaseCategory.all.contains(input.category), "category", .notAllowed, "must be one of \(CaseCategory.all.joined(separator: ", "))")
        validator.check((1...200).contains(input.title.count), "title", .invalid, "must be 1 to 200 characters")
        validator.check((1...50).contains(input.steps.count), "steps", .invalid, "give 1 to 50 steps")
        validator.check(Set(input.steps.map(\.key)).count == input.steps.count, "steps", .invalid, "step keys must be unique")
        for (index, step) in input.steps.enumerated() {
            validator.check(CommaList.isToken(step.key), "steps[\(index)].key", .format, "must be a short word like contact-reporter")
            validator.check((1...200).contains(step.title.count), "steps[\(index)].title", .invalid, "must be 1 to 200 characters")
            validator.check((1...43_200).contains(step.deadlineMinutes), "steps[\(index)].deadlineMinutes", .outOfRange, "must be 1 to 43200 minutes")
        }
        try validator.finish()
        // After commit, so no intake reloads the old value in between.
        defer { DeskCaches.sops.invalidateAll() }
        return try await context.transaction(invocation) { tx in
            let previous = try await SOP.current(category: input.category, on: tx.sql)
            let sop = SOP(
                id: context.ids.next().lowercased, category: input.category, version: (previous?.version ?? 0) + 1, title: input.title,
                steps: input.steps, publishedAt: tx.now, publishedBy: tx.principal.actor)
            let stepsText = try JSONValueEncoder.encode(sop.steps).jsonText
            try await tx.sql.insert(into: "incident_sops").row([
                "id": sop.id,
                "category": sop.category,
                "version": sop.version,
                "title": sop.title,
                "steps": stepsText,
                "published_at": tx.now,
                "published_by": sop.publishedBy,
            ]).run()
            try await tx.audit(
                AuditEntry(
                    action: "incident-ops.sop.publish", entity: EntityRef("incident-ops.sop", sop.id), region: nil,
                    changes: try FieldChange.diff(before: previous, after: sop), isCreation: true))
            return sop
        }
    }

    public func list(category: String?, by principal: Principal) async throws -> [SOP] {
        try principal.require(IncidentOpsPermissions.caseRead)
        if let category {
            return try await context.database.sql.raw(
                "SELECT \(unsafeRaw: SOP.columns) FROM incident_sops WHERE category = \(bind: category) ORDER BY version DESC"
            ).all().map(SOP.init(row:))
        }
        return try await context.database.sql.raw("SELECT \(unsafeRaw: SOP.columns) FROM incident_sops ORDER BY category, version DESC LIMIT 500").all().map(
            SOP.init(row:))
    }

    /// At intake, before the case row is written: the SOP in force for its category and the steps
    /// that apply to its severity.
    func checklist(for incident: IncidentCase, on sql: any SQLDatabase) async throws -> (sop: SOP, steps: [SOPStep])? {
        let current = try await DeskCaches.sops.value(DeskCaches.key(incident.category), database: context.database, now: context.clock.now()) {
            try await SOP.current(category: incident.category, on: sql)
        }
        guard let sop = current else { return nil }
        let steps = sop.steps.filter { $0.applies(to: incident.severity) }
        return steps.isEmpty ? nil : (sop, steps)
    }

    /// After the case row is written: its checklist.
    func insertChecklist(_ steps: [SOPStep], for incident: IncidentCase, in tx: Transaction) async throws {
        var query: SQLQueryString = "INSERT INTO incident_case_steps (case_id, step_key, title, mandatory, due_at) VALUES "
        for (index, step) in steps.enumerated() {
            let due = incident.createdAt.addingTimeInterval(Double(step.deadlineMinutes) * 60).epochMicros
            query += "\(unsafeRaw: index == 0 ? "" : ", ")(\(bind: incident.id), \(bind: step.key), \(bind: step.title), \(bind: step.mandatory), \(bind: due))"
        }
        try await tx.sql.raw(query).run()
    }

    func steps(caseID: String, on sql: any SQLDatabase) async throws -> [CaseStep] {
        try await sql.raw("SELECT \(unsafeRaw: CaseStep.columns) FROM incident_case_steps WHERE case_id = \(bind: caseID) ORDER BY due_at, step_key").all().map(
            CaseStep.init(row:))
    }

    /// Refuses closing a case while a mandatory step is neither done nor waived.
    func requireSettled(caseID: String, on sql: any SQLDatabase) async throws {
        let open = try await steps(caseID: caseID, on: sql).filter { $0.mandatory && !$0.isSettled }
        guard open.isEmpty else {
            throw VigilError(
                .conflict, "the SOP's mandatory steps are not done: \(open.map(\.key).joined(separator: ", ")); complete them or have a coordinator waive them")
        }
    }
}

extension CaseService {
    var sops: SOPService { SOPService(context: context) }

    public func checklist(_ key: String, by principal: Principal) async throws -> [CaseStep] {
        let incident = try await get(key, by: principal)
        return try await sops.steps(caseID: incident.id, on: context.database.sql)
    }

    /// Marks a step done (once), on the timeline and in the audit log.
    public func completeStep(_ key: String, step: String, by invocation: Invocation) async throws -> [CaseStep] {
        try invocation.principal.require(IncidentOpsPermissions.caseUpdate)
        return try await settleStep(key, step: step, waiverReason: nil, by: invocation)
    }

    /// A coordinator waives a step, with a reason; audited.
    public func waiveStep(_ key: String, step: String, reason: String, by invocation: Invocation) async throws -> [CaseStep] {
        try invocation.principal.require(IncidentOpsPermissions.caseAssign)
        let trimmed = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (5...1_000).contains(trimmed.count) else { throw VigilError.invalid("reason", .invalid, "say why, in 5 to 1000 characters") }
        return try await settleStep(key, step: step, waiverReason: trimmed, by: invocation)
    }

    private func settleStep(_ key: String, step: String, waiverReason: String?, by invocation: Invocation) async throws -> [CaseStep] {
        let principal = invocation.principal
        return try await context.transaction(invocation) { tx in
            guard let incident = try await store.find(key, on: tx.sql), isVisible(incident, to: principal) else { throw VigilError.notFound("case \(key)") }
            guard let current = try await sops.steps(caseID: incident.id, on: tx.sql).first(where: { $0.key == step }) else {
                throw VigilError.notFound("step \(step) of case \(incident.reference)")
            }
            guard !current.isSettled else { throw VigilError(.conflict, "step \(step) is \(current.doneAt != nil ? "done" : "waived") already") }
            if let waiverReason {
                try await tx.sql.raw(
                    """
                    UPDATE incident_case_steps SET waived_at = \(bind: tx.now.epochMicros), waived_by = \(bind: tx.principal.actor), waiver_reason = \(bind: waiverReason)
                    WHERE case_id = \(bind: incident.id) AND step_key = \(bind: step)
                    """
                ).run()
            } else {
                try await tx.sql.raw(
                    """
                    UPDATE incident_case_steps SET done_at = \(bind: tx.now.epochMicros), done_by = \(bind: tx.principal.actor)
                    WHERE case_id = \(bind: incident.id) AND step_key = \(bind: step)
                    """
                ).run()
            }
            let what = waiverReason == nil ? "done" : "waived"
            try await appendTimeline(
                caseID: incident.id, kind: .sop, visibility: .internal, text: waiverReason,
                details: .object(["step": .string(step), "what": .string(what), "onTime": .bool(tx.now <= current.dueAt)]), in: tx)
            try await tx.audit(
                AuditEntry(
                    action: "incident-ops.case.sop-step-\(what)", entity: incident.entity, region: incident.region,
                    changes: [
                        FieldChange(field: "steps.\(step)", before: .string("open"), after: .string(what))
                    ] + (waiverReason.map { [FieldChange(field: "steps.\(step).waiverReason", before: nil, after: .string($0))] } ?? [])))
            return try await sops.steps(caseID: incident.id, on: tx.sql)
        }
    }
}
