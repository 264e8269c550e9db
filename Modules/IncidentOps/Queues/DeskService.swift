import Foundation
import Kernel
import SQLKit
import WorkAssignment

/// The desk's set-up: queues, analysts and the shift roster. Every change is audited.
public struct DeskService: Sendable {
    let context: DomainContext

    public init(context: DomainContext) { self.context = context }

    // MARK: Queues

    public func createQueue(_ input: QueueInput, by invocation: Invocation) async throws -> CaseQueue {
        let principal = invocation.principal
        try principal.require(IncidentOpsPermissions.deskManage)
        var validator = Validator()
        let region = validator.region(input.region)
        let name = input.name.trimmingCharacters(in: .whitespaces)
        validator.check((1...80).contains(name.count), "name", .invalid, "must be 1 to 80 characters")
        let line = input.businessLine.map { BusinessLine(rawValue: $0) }
        validator.check(line != .some(nil), "businessLine", .notAllowed, "must be one of \(BusinessLine.allCases.map(\.rawValue).joined(separator: ", "))")
        if let category = input.category {
            validator.check(CaseCategory.all.contains(category), "category", .notAllowed, "must be one of \(CaseCategory.all.joined(separator: ", "))")
        }
        if let skill = input.requiredSkill {
            validator.check(CommaList.isToken(skill), "requiredSkill", .format, "must be a short word like 'medical' or 'legal'")
        }
        if let language = input.requiredLanguage {
            validator.check(DeskLanguage.all.contains(language), "requiredLanguage", .notAllowed, "must be one of \(DeskLanguage.all.joined(separator: ", "))")
        }
        let strategy = AssignmentStrategy(rawValue: input.strategy)
        validator.check(strategy != nil, "strategy", .notAllowed, "must be one of \(AssignmentStrategy.allCases.map(\.rawValue).joined(separator: ", "))")
        try validator.finish()
        try await context.requireWritable(region!, by: principal)
        let queue = CaseQueue(
            id: context.ids.next().lowercased, region: region!.rawValue, name: name, businessLine: line ?? nil, category: input.category,
            requiredSkill: input.requiredSkill, requiredLanguage: input.requiredLanguage, strategy: strategy!, version: 1)
        // After commit, so no intake reloads the old value in between.
        defer { DeskCaches.queues.invalidateAll() }
        return try await context.transaction(invocation) { tx in
            let clash = try await tx.sql.raw("SELECT id FROM incident_queues WHERE region = \(bind: queue.region) AND name = \(bind: queue.name)").first()
            if clash != nil { throw VigilError(.conflict, "\(queue.region) has a queue named \(queue.name) already") }
            try await tx.sql.raw(
                """
                INSERT INTO incident_queues (id, region, name, business_line, category, required_skill, required_language, strategy, created_at, updated_at, version)
                VALUES (\(bind: queue.id), \(bind: queue.region), \(bind: queue.name), \(bind: queue.businessLine?.rawValue), \(bind: queue.category),
                        \(bind: queue.requiredSkill), \(bind: queue.requiredLanguage), \(bind: queue.strategy.rawValue), \(bind: tx.now.epochMicros), \(bind: tx.now.epochMicros), 1)
                """
            ).run()
            try await tx.audit(
                AuditEntry(
                    action: "incident-ops.queue.create", entity: EntityRef("incident-ops.queue", queue.id), region: region,
                    changes: try FieldChange.diff(before: Optional<CaseQueue>.none, after: queue), isCreation: true))
            return queue
        }
    }

    public func queues(region: RegionCode?, by principal: Principal) async throws -> [CaseQueue] {
        try principal.require(IncidentOpsPermissions.caseRead)
        return try await QueueStore().all(region: region?.rawValue, on: context.database.sql).filter { principal.canAccess(RegionCode(stored: $0.region)) }
    }

    // MARK: Analysts

    /// Registers a user as an analyst of a region, or changes their skills and capacity.
    public func setAnalyst(_ input: AnalystInput, by invocation: Invocation) async throws -> Analyst {
        let principal = invocation.principal
        try principal.require(IncidentOpsPermissions.deskManage)
        var validator = Validator()
        let region = validator.region(input.region)
        validator.check((1...100).contains(input.capacity), "capacity", .outOfRange, "must be 1 to 100 open cases")
        for skill in input.skills { validator.check(CommaList.isToken(skill), "skills", .format, "'\(skill)' is not a short word") }
        for language in input.languages {
            validator.check(
                DeskLanguage.all.contains(language), "languages", .notAllowed, "'\(language)' is not one of \(DeskLanguage.all.joined(separator: ", "))")
        }
        try validator.finish()
        try await context.requireWritable(region!, by: principal)
        guard let person = try await context.people.person(email: input.email), person.active else {
            throw VigilError.invalid("email", .notAllowed, "\(input.email) is not an active user")
        }
        guard person.regions.contains(region!) else { throw VigilError.invalid("region", .notAllowed, "\(person.email) does not work in \(region!)") }
        try context.authorization.requireWorker(person, can: IncidentOpsPermissions.caseUpdate, in: region!)
        let userID = person.id.lowercased
        return try await context.transaction(invocation) { tx in
            let before = try await tx.sql.raw("SELECT \(unsafeRaw: Analyst.columns) FROM incident_analysts WHERE user_id = \(bind: userID)").first().map(
                Analyst.init(row:))
            try await tx.sql.raw(
                """
                INSERT INTO incident_analysts (user_id, name, actor, region, skills, languages, capacity, sensitive_ok, active_cases, last_assigned_at, updated_at, version)
                VALUES (\(bind: userID), \(bind: person.name), \(bind: person.actor), \(bind: region!.rawValue), \(bind: CommaList.stored(input.skills)),
                        \(bind: CommaList.stored(input.languages)), \(bind: input.capacity), \(bind: input.sensitiveOK ?? false), 0, 0, \(bind: tx.now.epochMicros), 1)
                ON CONFLICT (user_id) DO UPDATE SET region = excluded.region, skills = excluded.skills, languages = excluded.languages,
                    capacity = excluded.capacity, sensitive_ok = excluded.sensitive_ok, name = excluded.name, updated_at = excluded.updated_at,
                    version = incident_analysts.version + 1
                """
            ).run()
            guard
                let after = try await tx.sql.raw("SELECT \(unsafeRaw: Analyst.columns) FROM incident_analysts WHERE user_id = \(bind: userID)").first().map(
                    Analyst.init(row:))
            else {
                throw VigilError(.internal, "the analyst could not be read back")
            }
            try await tx.audit(
                AuditEntry(
                    action: "incident-ops.analyst.set", entity: EntityRef("incident-ops.analyst", userID), region: region,
                    changes: try FieldChange.diff(before: before, after: after)))
            return after
        }
    }

    public func analysts(region: RegionCode?, by principal: Principal) async throws -> [Analyst] {
        try principal.require(IncidentOpsPermissions.caseRead)
        let rows: [any SQLRow] =
            if let region {
                try await context.database.sql.raw(
                    "SELECT \(unsafeRaw: Analyst.columns) FROM incident_analysts WHERE region = \(bind: region.rawValue) ORDER BY name"
                ).all()
            } else {
                try await context.database.sql.raw("SELECT \(unsafeRaw: Analyst.columns) FROM incident_analysts ORDER BY region, name LIMIT 2000").all()
            }
        let analysts = try rows.map(Analyst.init(row:)).filter { principal.canAccess(RegionCode(stored: $0.region)) }
        guard !principal.has(IncidentOpsPermissions.caseReadSensitive), !analysts.isEmpty else { return analysts }
        // Loads count every case; a reader without sensitive access must not learn of the
        // sensitive ones through them.
        var hidden: [String: Int] = [:]
        for row in try await context.database.sql.raw(
            """
            SELECT assignee, COUNT(*) AS n FROM incident_cases
            WHERE sensitive = \(bind: true) AND \(OpenCases.condition()) AND assignee IN (\(binds: analysts.map(\.userId)))
              AND created_by <> \(bind: principal.actor) AND assignee <> \(bind: principal.userID?.lowercased ?? "-")
            GROUP BY assignee
            """
        ).all() {
            hidden[try row.decode(column: "assignee", as: String.self)] = try row.decode(column: "n", as: Int.self)
        }
        return analysts.map { $0.withholding(hiddenCases: hidden[$0.userId] ?? 0) }
    }

    // MARK: Roster

    /// Puts someone on the roster. Swaps and overrides record who approved them (the caller).
    public func addShift(_ input: ShiftInput, by invocation: Invocation) async throws -> ShiftEntry {
        let principal = invocation.principal
        try principal.require(IncidentOpsPermissions.deskManage)
        var validator = Validator()
        let region = validator.region(input.region)
        let role = ShiftEntry.Role(rawValue: input.role)
        validator.check(role != nil, "role", .notAllowed, "must be one of \(ShiftEntry.Role.allCases.map(\.rawValue).joined(separator: ", "))")
        let kind = ShiftEntry.Kind(rawValue: input.kind ?? "planned")
        validator.check(kind != nil, "kind", .notAllowed, "must be one of \(ShiftEntry.Kind.allCases.map(\.rawValue).joined(separator: ", "))")
        validator.check(input.endsAt > input.startsAt, "endsAt", .outOfRange, "must be after startsAt")
        validator.check(input.endsAt.timeIntervalSince(input.startsAt) <= 24 * 3600, "endsAt", .outOfRange, "a shift lasts at most 24 hours")
        if kind != .planned { validator.check(!(input.note ?? "").isEmpty, "note", .required, "say why (a swap or override is recorded with its reason)") }
        try validator.finish()
        try await context.requireWritable(region!, by: principal)
        guard let person = try await context.people.person(email: input.email), person.active else {
            throw VigilError.invalid("email", .notAllowed, "\(input.email) is not an active user")
        }
        let entry = ShiftEntry(
            id: context.ids.next().lowercased, region: region!.rawValue, userId: person.id.lowercased, role: role!, startsAt: input.startsAt,
            endsAt: input.endsAt, kind: kind!, approvedBy: kind == .planned ? nil : principal.actor, note: input.note)
        return try await context.transaction(invocation) { tx in
            try await Self.insert(entry, in: tx)
            return entry
        }
    }

    /// Writes a roster entry with its audit record.
    static func insert(_ entry: ShiftEntry, in tx: Transaction) async throws {
        try await tx.sql.insert(into: "incident_shifts").row([
            "id": entry.id,
            "region": entry.region,
            "user_id": entry.userId,
            "role": entry.role,
            "starts_at": entry.startsAt,
            "ends_at": entry.endsAt,
            "kind": entry.kind,
            "approved_by": entry.approvedBy,
            "note": entry.note,
            "created_at": tx.now,
        ]).run()
        try await tx.audit(
            AuditEntry(
                action: "incident-ops.roster.add", entity: EntityRef("incident-ops.shift", entry.id), region: RegionCode(stored: entry.region),
                changes: try FieldChange.diff(before: Optional<ShiftEntry>.none, after: entry), isCreation: true))
    }

    /// Roster entries of a region overlapping a period.
    public func roster(region: RegionCode, from: Date, to: Date, by principal: Principal) async throws -> [ShiftEntry] {
        try principal.require(IncidentOpsPermissions.caseRead)
        try context.authorization.requireVisible(principal, region: region, entity: "region \(region)")
        return try await context.database.sql.raw(
            """
            SELECT \(unsafeRaw: ShiftEntry.columns) FROM incident_shifts
            WHERE region = \(bind: region.rawValue) AND ends_at > \(bind: from.epochMicros) AND starts_at < \(bind: to.epochMicros)
            ORDER BY starts_at, role, user_id LIMIT 2000
            """
        ).all().map(ShiftEntry.init(row:))
    }
}
