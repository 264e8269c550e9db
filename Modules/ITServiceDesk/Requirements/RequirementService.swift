import Calendars
import Foundation
import Kernel
import Monetary
import SQLKit

/// Requirements triaged into accepted, deferred or rejected (with the reason), and the response
/// plan of an accepted one: tasks with owners, due dates, dependencies and progress.
public struct RequirementService: Sendable {
    let context: DomainContext
    static let priorities = ["low", "medium", "high", "critical"]

    public init(context: DomainContext) { self.context = context }

    public func create(_ input: RequirementInput, by invocation: Invocation) async throws -> Requirement {
        let principal = invocation.principal
        try principal.require(ITServiceDeskPermissions.ticketRaise)
        var validator = Validator()
        validator.check((1...200).contains(input.title.count), "title", .invalid, "must be 1 to 200 characters")
        validator.check(
            (1...10_000).contains(input.businessNeed.count), "businessNeed", .invalid, "say what the business needs and why (1 to 10000 characters)")
        if let desired = input.desiredDate { validator.check(LocalDate(desired) != nil, "desiredDate", .format, "must be a date YYYY-MM-DD") }
        validator.check(Self.priorities.contains(input.priority), "priority", .notAllowed, "must be one of \(Self.priorities.joined(separator: ", "))")
        validator.checkAmount(input.estimatedCost, "estimatedCost")
        validator.check(Money.isCurrencyCode(input.currency), "currency", .format, "must be an ISO 4217 code")
        try validator.finish()
        let site = try context.authorization.referenced(
            try await SiteStore.load(code: input.site.uppercased(), on: context.database.sql), region: \.regionCode,
            by: principal, field: "site", "\(input.site) is not a site you may use")
        let id = context.ids.next().lowercased
        return try await context.transaction(invocation) { tx in
            let reference = try await tx.nextReference("REQ")
            try await tx.sql.raw(
                """
                INSERT INTO it_requirements (id, reference, requester, title, business_need, site_id, region, desired_date, priority, estimated_cost, currency, status,
                    created_at, updated_at, version)
                VALUES (\(bind: id), \(bind: reference), \(bind: principal.actor), \(bind: input.title), \(bind: input.businessNeed), \(bind: site.id), \(bind: site.region),
                        \(bind: input.desiredDate), \(bind: input.priority), \(bind: input.estimatedCost), \(bind: input.currency), 'new',
                        \(bind: tx.now.epochMicros), \(bind: tx.now.epochMicros), 1)
                """
            ).run()
            let requirement = try await Self.load(id, on: tx.sql).orInternal("the record")
            try await tx.audit(
                AuditEntry(
                    action: "it-service-desk.requirement.create", entity: EntityRef("it-service-desk.requirement", id), region: site.regionCode,
                    changes: try FieldChange.diff(before: Optional<Requirement>.none, after: requirement), isCreation: true))
            return requirement
        }
    }

    static func load(_ key: String, on sql: any SQLDatabase) async throws -> Requirement? {
        let condition: SQLQueryString = key.uppercased().hasPrefix("REQ-") ? "r.reference = \(bind: key.uppercased())" : "r.id = \(bind: key.lowercased())"
        guard let row = try await sql.raw(SQLQueryString(stringLiteral: Requirement.select) + " WHERE " + condition).first() else { return nil }
        let id = try row.decode(column: "id", as: String.self)
        let tasks = try await sql.raw("SELECT \(unsafeRaw: PlanTask.columns) FROM it_plan_tasks WHERE requirement_id = \(bind: id) ORDER BY position").all()
            .map(PlanTask.init(row:))
        return try Requirement(RowReader(row), tasks: tasks)
    }

    public func get(_ key: String, by principal: Principal) async throws -> Requirement {
        guard let requirement = try await Self.load(key, on: context.database.sql) else { throw VigilError.notFound("requirement \(key)") }
        guard requirement.requester == principal.actor || principal.has(ITServiceDeskPermissions.ticketRead) else {
            throw VigilError.notFound("requirement \(key)")
        }
        if requirement.requester != principal.actor {
            try context.authorization.requireVisible(principal, region: requirement.regionCode, entity: "requirement \(key)")
        }
        return requirement
    }

    public func list(status: RequirementStatus?, by principal: Principal) async throws -> [Requirement] {
        try principal.require(ITServiceDeskPermissions.ticketRead)
        var query = SQLQueryString(stringLiteral: Requirement.select) + " WHERE 1 = 1"
        if let status { query += " AND r.status = \(bind: status.rawValue)" }
        if let regions = principal.regions.filter { query += " AND r.region IN (\(binds: regions.map(\.rawValue)))" }
        query += " ORDER BY r.created_at DESC, r.id DESC LIMIT 500"
        var result: [Requirement] = []
        for row in try await context.database.sql.raw(query).all() {
            if let requirement = try await Self.load(try row.decode(column: "id", as: String.self), on: context.database.sql) { result.append(requirement) }
        }
        return result
    }

    /// Accepts, defers or rejects a new (or deferred) requirement; deferring and rejecting say why.
    public func triage(_ key: String, to decision: RequirementStatus, reason: String?, expectedVersion: Int, by invocation: Invocation) async throws
        -> Requirement
    {
        try invocation.principal.require(ITServiceDeskPermissions.deskManage)
        let before = try await get(key, by: invocation.principal)
        guard decision != .new else { throw VigilError.invalid("decision", .notAllowed, "must be accepted, deferred or rejected") }
        guard before.status == .new || before.status == .deferred else {
            throw VigilError(.conflict, "\(before.reference) was \(before.status.rawValue) already")
        }
        if decision != .accepted, (reason ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
            throw VigilError.invalid("reason", .required, "say why it is \(decision.rawValue)")
        }
        return try await context.transaction(invocation) { tx in
            _ = try await tx.updateVersioned(
                table: "it_requirements", id: before.id, expectedVersion: expectedVersion, entity: "requirement \(key)",
                assignments: [
                    ("status", decision.rawValue), ("decision_reason", reason), ("decided_by", tx.principal.actor), ("decided_at", tx.now.epochMicros),
                    ("updated_at", tx.now.epochMicros),
                ])
            let after = try await Self.load(before.id, on: tx.sql).orInternal("the record")
            try await tx.audit(
                AuditEntry(
                    action: "it-service-desk.requirement.\(decision.rawValue)", entity: EntityRef("it-service-desk.requirement", before.id),
                    region: before.regionCode,
                    changes: try FieldChange.diff(before: before, after: after)))
            return after
        }
    }

    /// Adds a task to the response plan of an accepted requirement.
    public func addTask(_ key: String, _ input: PlanTaskInput, by invocation: Invocation) async throws -> Requirement {
        try invocation.principal.require(ITServiceDeskPermissions.ticketWork)
        let requirement = try await get(key, by: invocation.principal)
        guard requirement.status == .accepted else {
            throw VigilError(.conflict, "\(requirement.reference) is \(requirement.status.rawValue); only an accepted requirement gets a plan")
        }
        var validator = Validator()
        validator.check((1...200).contains(input.title.count), "title", .invalid, "must be 1 to 200 characters")
        validator.check((1...200).contains(input.owner.count), "owner", .invalid, "name who owns it")
        validator.check(LocalDate(input: input.dueDate) != nil, "dueDate", .format, LocalDate.inputRule)
        let known = Set(requirement.tasks.map(\.id))
        for (index, dependency) in (input.dependsOn ?? []).enumerated() {
            validator.check(known.contains(dependency), "dependsOn[\(index)]", .notAllowed, "\(dependency) is not a task of this plan")
        }
        try validator.finish()
        if let line = input.budgetLineId, try await context.database.sql.raw("SELECT id FROM it_budget_lines WHERE id = \(bind: line)").first() == nil {
            throw VigilError.invalid("budgetLineId", .notAllowed, "\(line) is not a budget line")
        }
        let id = context.ids.next().lowercased
        return try await context.transaction(invocation) { tx in
            try await tx.sql.raw(
                """
                INSERT INTO it_plan_tasks (id, requirement_id, position, title, owner, due_date, status, progress, depends_on, budget_line_id, created_at, updated_at, version)
                VALUES (\(bind: id), \(bind: requirement.id), \(bind: requirement.tasks.count), \(bind: input.title), \(bind: input.owner), \(bind: input.dueDate), 'todo', 0,
                        \(bind: CommaList.stored(input.dependsOn ?? [])), \(bind: input.budgetLineId), \(bind: tx.now.epochMicros), \(bind: tx.now.epochMicros), 1)
                """
            ).run()
            try await tx.audit(
                AuditEntry(
                    action: "it-service-desk.plan.task.add", entity: EntityRef("it-service-desk.requirement", requirement.id), region: requirement.regionCode,
                    changes: [FieldChange(field: "tasks", before: nil, after: .string(input.title))]))
            return try await Self.load(requirement.id, on: tx.sql).orInternal("the record")
        }
    }

    /// Moves a task: work starts or finishes only after the tasks it depends on are done; done
    /// means 100% and 100% means done.
    public func updateTask(_ key: String, task taskID: String, status: TaskStatus?, progress: Int?, expectedVersion: Int, by invocation: Invocation)
        async throws -> Requirement
    {
        try invocation.principal.require(ITServiceDeskPermissions.ticketWork)
        let requirement = try await get(key, by: invocation.principal)
        guard let task = requirement.tasks.first(where: { $0.id == taskID }) else { throw VigilError.notFound("task \(taskID) of \(requirement.reference)") }
        if let progress { guard (0...100).contains(progress) else { throw VigilError.invalid("progress", .outOfRange, "must be 0 to 100") } }
        var newStatus = status ?? task.status
        var newProgress = progress ?? task.progress
        if newStatus == .done { newProgress = 100 }
        if progress == 100 { newStatus = .done }
        if newStatus == .doing || newStatus == .done {
            let open = requirement.tasks.filter { task.dependsOn.contains($0.id) && $0.status != .done }
            if !open.isEmpty { throw VigilError(.conflict, "\"\(task.title)\" waits for \(open.map { "\"\($0.title)\"" }.joined(separator: ", ")) to be done") }
        }
        let (finalStatus, finalProgress) = (newStatus, newProgress)
        return try await context.transaction(invocation) { tx in
            let updated = try await tx.sql.raw(
                """
                UPDATE it_plan_tasks SET status = \(bind: finalStatus.rawValue), progress = \(bind: finalProgress), updated_at = \(bind: tx.now.epochMicros), version = version + 1
                WHERE id = \(bind: task.id) AND version = \(bind: expectedVersion) RETURNING version
                """
            ).first()
            if updated == nil { throw VigilError.stale(expected: expectedVersion, current: task.version) }
            try await tx.audit(
                AuditEntry(
                    action: "it-service-desk.plan.task.update", entity: EntityRef("it-service-desk.requirement", requirement.id),
                    region: requirement.regionCode,
                    changes: [
                        FieldChange(
                            field: "task \(task.title)", before: .string("\(task.status.rawValue) \(task.progress)%"),
                            after: .string("\(finalStatus.rawValue) \(finalProgress)%"))
                    ]))
            return try await Self.load(requirement.id, on: tx.sql).orInternal("the record")
        }
    }
}
