import Foundation
import Kernel
import SQLKit

/// Case intake as the desk's rules define it; the HTTP API and the CLI both call these.
public struct CaseService: Sendable {
    let context: DomainContext
    let rules: CaseRules
    let store = CaseStore()

    public init(context: DomainContext) {
        self.context = context
        self.rules = CaseRules(
            maxDescriptionLength: context.config.int(forKey: "intake.max-description-length", default: CaseRules.defaultMaxDescriptionLength))
    }

    /// Opens a case: validated, in a region the caller may act on, numbered, audited and announced
    /// (`incident-ops.case.opened`) in one transaction.
    public func open(_ input: OpenCaseInput, by invocation: Invocation) async throws -> IncidentCase {
        let valid = try await prepare(input, by: invocation.principal)
        return try await context.transaction(invocation) { tx in try await open(valid, in: tx) }
    }

    /// The checks of intake, done before any write lock is taken.
    func prepare(_ input: OpenCaseInput, by principal: Principal) async throws -> PreparedCase {
        try principal.require(IncidentOpsPermissions.caseCreate)
        let valid = try rules.validate(input, now: context.clock.now())
        try await context.requireWritable(valid.region, by: principal)
        try await Taxonomy(context: context).check(region: valid.region, category: valid.category, subcategory: valid.subcategory)
        return valid
    }

    /// The writes of intake inside a caller's transaction (the API's idempotent create).
    func open(_ valid: PreparedCase, in tx: Transaction) async throws -> IncidentCase {
        var incident = IncidentCase(
            id: context.ids.next().lowercased, reference: try await tx.nextReference("INC"), region: valid.region, businessLine: valid.businessLine,
            category: valid.category, severity: valid.severity, status: .new, description: valid.description, location: valid.location,
            sensitive: valid.sensitive, reporterName: valid.reporterName, reporterContact: valid.reporterContact, occurredAt: valid.occurredAt,
            createdAt: tx.now, createdBy: tx.principal.actor, updatedAt: tx.now, version: 1
        )
        incident.subcategory = valid.subcategory
        incident.urgency = valid.urgency
        incident.priority = .of(valid.severity, valid.urgency)
        let route = try await routeAtIntake(&incident, in: tx)
        let checklist = try await sops.checklist(for: incident, on: tx.sql)
        incident.sopId = checklist?.sop.id
        let clocks = try await sla.plan(for: incident, on: tx.sql)
        try await store.insert(incident, nextDueAt: clocks.nextDueAt, on: tx.sql)
        if let checklist { try await sops.insertChecklist(checklist.steps, for: incident, in: tx) }
        try await sla.start(clocks, in: tx)
        try await appendTimeline(
            caseID: incident.id, kind: .opened, visibility: .internal, text: nil,
            details: .object(["status": .string(CaseStatus.new.rawValue), "severity": .string(incident.severity.rawValue), "sla": clocks.snapshot]), in: tx)
        try await announce(route.decision, queue: route.queue, for: incident, previousAssignee: nil, how: "automatic (intake)", statusFrom: .new, in: tx)
        try await escalateAtIntake(incident, in: tx)
        try await tx.audit(
            AuditEntry(
                action: "incident-ops.case.open", entity: incident.entity, region: incident.region,
                changes: try FieldChange.diff(before: Optional<IncidentCase.AuditView>.none, after: incident.auditView),
                isCreation: true))
        try await tx.publish(
            CaseOpened(
                caseId: incident.id, reference: incident.reference, region: incident.region.rawValue,
                businessLine: incident.businessLine.rawValue, category: incident.category,
                severity: incident.severity.rawValue, sensitive: incident.sensitive),
            subject: incident.entity, region: incident.region)
        return incident
    }

    /// A case the caller may see; anything else (another region, a sensitive case without
    /// sensitive access) is reported as not found.
    public func get(_ key: String, by principal: Principal) async throws -> IncidentCase {
        try principal.require(IncidentOpsPermissions.caseRead)
        guard let incident = try await store.find(key, on: context.database.sql), isVisible(incident, to: principal) else {
            throw VigilError.notFound("case \(key)")
        }
        return incident
    }

    func isVisible(_ incident: IncidentCase, to principal: Principal) -> Bool {
        principal.canAccess(incident.region)
            && (!incident.sensitive || principal.has(IncidentOpsPermissions.caseReadSensitive) || incident.createdBy == principal.actor
                || (incident.assignee != nil && incident.assignee == principal.userID?.lowercased))
    }

    /// A page of the cases the caller may see, newest first.
    public func list(_ filter: CaseFilter, page: PageRequest, by principal: Principal) async throws -> Page<IncidentCase> {
        try principal.require(IncidentOpsPermissions.caseRead)
        let hideSensitive = principal.has(IncidentOpsPermissions.caseReadSensitive) ? nil : (actor: principal.actor, userID: principal.userID?.lowercased)
        let regions: [RegionCode?]
        if let region = filter.region {
            regions = principal.canAccess(region) ? [region] : []
        } else if let scope = principal.regions.filter {
            regions = scope
        } else {
            regions = [nil]
        }
        // One indexed range per region, merged: an IN over regions would have to sort.
        var rows: [IncidentCase] = []
        for region in regions {
            rows += try await store.page(
                filter, region: region, hideSensitiveExceptFrom: hideSensitive, after: page.after, limit: page.limit, on: context.database.sql)
        }
        if regions.count > 1 {
            rows.sort { ($0.createdAt, $0.id) > ($1.createdAt, $1.id) }
            rows = Array(rows.prefix(page.limit + 1))
        }
        return rows.page(limit: page.limit) { Cursor([.integer($0.createdAt.epochMicros), .text($0.id)]) }
    }

    /// How many cases the caller may see match the filter (sensitive ones they may not see are not counted).
    public func count(_ filter: CaseFilter, by principal: Principal) async throws -> Int {
        try principal.require(IncidentOpsPermissions.caseRead)
        let hideSensitive = principal.has(IncidentOpsPermissions.caseReadSensitive) ? nil : (actor: principal.actor, userID: principal.userID?.lowercased)
        var regions = principal.regions.filter
        if let region = filter.region {
            guard principal.canAccess(region) else { return 0 }
            regions = [region]
        }
        return try await store.count(filter, regions: regions, hideSensitiveExceptFrom: hideSensitive, on: context.database.sql)
    }

    /// Corrects intake details at the version the caller read; a stale version changes nothing.
    public func update(_ key: String, _ input: UpdateCaseInput, expectedVersion: Int, by invocation: Invocation) async throws -> IncidentCase {
        let principal = invocation.principal
        try principal.require(IncidentOpsPermissions.caseUpdate)
        try rules.validate(input)
        if input.sensitive != nil { try principal.require(IncidentOpsPermissions.caseReadSensitive) }
        return try await context.transaction(invocation) { tx in
            let current = try await loadForChange(key, expectedVersion: expectedVersion, principal: principal, on: tx.sql)
            var updated = current
            if let line = input.businessLine.flatMap(BusinessLine.init(rawValue:)) { updated.businessLine = line }
            if let category = input.category { updated.category = category }
            if let severity = input.severity.flatMap({ Severity(rawValue: $0.uppercased()) }) {
                updated.severity = severity
                updated.priority = .of(severity, updated.urgency)
            }
            if let description = input.description { updated.description = description.trimmingCharacters(in: .whitespacesAndNewlines) }
            if let location = input.location { updated.location = rules.normalized(location) }
            if let sensitive = input.sensitive { updated.sensitive = sensitive }
            if let name = input.reporterName { updated.reporterName = rules.trimmedOrNil(name) }
            if let contact = input.reporterContact { updated.reporterContact = rules.trimmedOrNil(contact) }
            updated.updatedAt = tx.now
            updated.version = current.version + 1
            let changes = try FieldChange.diff(before: current.auditView, after: updated.auditView)
            guard !changes.isEmpty else { return current }
            let newVersion = try await tx.updateVersioned(
                table: CaseStore.table, id: current.id, expectedVersion: expectedVersion, entity: "case \(key)",
                assignments: [
                    ("business_line", updated.businessLine.rawValue), ("category", updated.category), ("severity", updated.severity.rawValue),
                    ("description", updated.description), ("location_address", updated.location?.address), ("latitude", updated.location?.latitude),
                    ("longitude", updated.location?.longitude), ("sensitive", updated.sensitive), ("reporter_name", updated.reporterName),
                    ("reporter_contact", updated.reporterContact), ("priority", updated.priority.rawValue), ("updated_at", tx.now.epochMicros),
                ]
            )
            try await appendTimeline(
                caseID: current.id, kind: .updated, visibility: .internal, text: nil,
                details: .object(["fields": .array(changes.map { .string($0.field) })]), in: tx)
            try await tx.audit(AuditEntry(action: "incident-ops.case.update", entity: updated.entity, region: updated.region, changes: changes))
            try await tx.publish(
                CaseUpdated(caseId: updated.id, reference: updated.reference, changedFields: changes.map(\.field)),
                subject: updated.entity, region: updated.region)
            guard newVersion == updated.version else { throw VigilError(.internal, "case \(key) version moved unexpectedly") }
            return updated
        }
    }

    func openedSince(_ date: Date) async throws -> [String: Int] {
        try await store.openedSince(date, on: context.database.sql)
    }
}

extension IncidentCase {
    init(
        id: String, reference: String, region: RegionCode, businessLine: BusinessLine, category: String, severity: Severity, status: CaseStatus,
        description: String, location: CaseLocation?, sensitive: Bool, reporterName: String?, reporterContact: String?, occurredAt: Date?,
        createdAt: Date, createdBy: String, updatedAt: Date, version: Int, waitingOn: WaitingOn? = nil, resolutionCode: ResolutionCode? = nil,
        resolvedAt: Date? = nil, closedAt: Date? = nil, reopenCount: Int = 0
    ) {
        self.id = id
        self.reference = reference
        self.region = region
        self.businessLine = businessLine
        self.category = category
        self.severity = severity
        self.status = status
        self.description = description
        self.location = location
        self.sensitive = sensitive
        self.reporterName = reporterName
        self.reporterContact = reporterContact
        self.occurredAt = occurredAt
        self.createdAt = createdAt
        self.createdBy = createdBy
        self.updatedAt = updatedAt
        self.version = version
        self.waitingOn = waitingOn
        self.resolutionCode = resolutionCode
        self.resolvedAt = resolvedAt
        self.closedAt = closedAt
        self.reopenCount = reopenCount
    }
}
