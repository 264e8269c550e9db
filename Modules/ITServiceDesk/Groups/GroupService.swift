import Foundation
import JSONCoding
import Kernel
import SQLKit
import WorkAssignment

/// Assignment groups and agents of the IT desk. Every change is audited.
public struct GroupService: Sendable {
    let context: DomainContext

    public init(context: DomainContext) { self.context = context }

    public func createGroup(_ input: GroupInput, by invocation: Invocation) async throws -> AssignmentGroup {
        let principal = invocation.principal
        try principal.require(ITServiceDeskPermissions.deskManage)
        var validator = Validator()
        let region = validator.region(input.region)
        let name = input.name.trimmingCharacters(in: .whitespaces)
        validator.check((1...80).contains(name.count), "name", .invalid, "must be 1 to 80 characters")
        for category in input.categories {
            validator.check(
                TicketCategory.all.contains(category), "categories", .notAllowed, "'\(category)' is not one of \(TicketCategory.all.joined(separator: ", "))")
        }
        let strategy = AssignmentStrategy(rawValue: input.strategy)
        validator.check(strategy != nil, "strategy", .notAllowed, "must be one of \(AssignmentStrategy.allCases.map(\.rawValue).joined(separator: ", "))")
        if let skill = input.requiredSkill { validator.check(CommaList.isToken(skill), "requiredSkill", .format, "must be a short word like 'network'") }
        try validator.finish()
        try await context.requireWritable(region!, by: principal)
        let id = context.ids.next().lowercased
        return try await context.transaction(invocation) { tx in
            if try await tx.sql.raw("SELECT id FROM it_groups WHERE region = \(bind: region!.rawValue) AND name = \(bind: name)").first() != nil {
                throw VigilError(.conflict, "\(region!) has a group named \(name) already")
            }
            try await tx.sql.raw(
                """
                INSERT INTO it_groups (id, region, name, categories, strategy, required_skill, created_at, updated_at, version)
                VALUES (\(bind: id), \(bind: region!.rawValue), \(bind: name), \(bind: CommaList.stored(input.categories)), \(bind: strategy!.rawValue),
                        \(bind: input.requiredSkill), \(bind: tx.now.epochMicros), \(bind: tx.now.epochMicros), 1)
                """
            ).run()
            let group = try await Self.group(id: id, on: tx.sql).orInternal("the record")
            try await tx.audit(
                AuditEntry(
                    action: "it-service-desk.group.create", entity: EntityRef("it-service-desk.group", id), region: region,
                    changes: try FieldChange.diff(before: Optional<AssignmentGroup>.none, after: group), isCreation: true))
            return group
        }
    }

    /// Registers a user as an agent (or changes their skills, capacity, availability and groups).
    public func setAgent(_ input: AgentInput, by invocation: Invocation) async throws -> ITAgent {
        let principal = invocation.principal
        try principal.require(ITServiceDeskPermissions.deskManage)
        var validator = Validator()
        let region = validator.region(input.region)
        validator.check((1...200).contains(input.capacity), "capacity", .outOfRange, "must be 1 to 200 open tickets")
        for skill in input.skills { validator.check(CommaList.isToken(skill), "skills", .format, "'\(skill)' is not a short word") }
        try validator.finish()
        try await context.requireWritable(region!, by: principal)
        guard let person = try await context.people.person(email: input.email), person.active else {
            throw VigilError.invalid("email", .notAllowed, "\(input.email) is not an active user")
        }
        try context.authorization.requireWorker(person, can: ITServiceDeskPermissions.ticketWork, in: region!)
        let userID = person.id.lowercased
        return try await context.transaction(invocation) { tx in
            var groupIDs: [String] = []
            for name in input.groups {
                guard let row = try await tx.sql.raw("SELECT id FROM it_groups WHERE region = \(bind: region!.rawValue) AND name = \(bind: name)").first()
                else {
                    throw VigilError.invalid("groups", .notAllowed, "\(region!) has no group named \(name)")
                }
                groupIDs.append(try row.decode(column: "id", as: String.self))
            }
            let before = try await tx.sql.raw("SELECT \(unsafeRaw: ITAgent.columns) FROM it_agents WHERE user_id = \(bind: userID)").first().map(
                ITAgent.init(row:))
            try await tx.sql.raw(
                """
                INSERT INTO it_agents (user_id, name, actor, region, skills, capacity, active_tickets, last_assigned_at, available, updated_at, version)
                VALUES (\(bind: userID), \(bind: person.name), \(bind: person.actor), \(bind: region!.rawValue), \(bind: CommaList.stored(input.skills)),
                        \(bind: input.capacity), 0, 0, \(bind: input.available ?? true), \(bind: tx.now.epochMicros), 1)
                ON CONFLICT (user_id) DO UPDATE SET region = excluded.region, skills = excluded.skills, capacity = excluded.capacity,
                    available = excluded.available, name = excluded.name, updated_at = excluded.updated_at, version = it_agents.version + 1
                """
            ).run()
            try await tx.sql.raw("DELETE FROM it_group_members WHERE user_id = \(bind: userID)").run()
            for group in groupIDs {
                try await tx.sql.raw("INSERT INTO it_group_members (group_id, user_id) VALUES (\(bind: group), \(bind: userID))").run()
            }
            let after = try await tx.sql.raw("SELECT \(unsafeRaw: ITAgent.columns) FROM it_agents WHERE user_id = \(bind: userID)").first().map(
                ITAgent.init(row:)
            ).orInternal("the record")
            var changes = try FieldChange.diff(before: before, after: after)
            changes.append(FieldChange(field: "groups", before: nil, after: .array(input.groups.map(JSONValue.string))))
            try await tx.audit(
                AuditEntry(action: "it-service-desk.agent.set", entity: EntityRef("it-service-desk.agent", userID), region: region, changes: changes))
            return after
        }
    }

    public func groups(region: RegionCode?, by principal: Principal) async throws -> [AssignmentGroup] {
        try principal.require(ITServiceDeskPermissions.ticketRead)
        var query: SQLQueryString = "SELECT id FROM it_groups"
        if let region { query += " WHERE region = \(bind: region.rawValue)" }
        query += " ORDER BY region, name LIMIT 500"
        var groups: [AssignmentGroup] = []
        for row in try await context.database.sql.raw(query).all() {
            if let group = try await Self.group(id: try row.decode(column: "id", as: String.self), on: context.database.sql),
                principal.canAccess(RegionCode(stored: group.region))
            {
                groups.append(group)
            }
        }
        return groups
    }

    public func agents(region: RegionCode?, by principal: Principal) async throws -> [ITAgent] {
        try principal.require(ITServiceDeskPermissions.ticketRead)
        var query: SQLQueryString = "SELECT \(unsafeRaw: ITAgent.columns) FROM it_agents"
        if let region { query += " WHERE region = \(bind: region.rawValue)" }
        query += " ORDER BY region, name LIMIT 2000"
        return try await context.database.sql.raw(query).all().map(ITAgent.init(row:)).filter { principal.canAccess(RegionCode(stored: $0.region)) }
    }

    static func group(id: String, on sql: any SQLDatabase) async throws -> AssignmentGroup? {
        guard let row = try await sql.raw("SELECT \(unsafeRaw: AssignmentGroup.columns) FROM it_groups WHERE id = \(bind: id)").first() else { return nil }
        let members = try await sql.raw(
            """
            SELECT a.actor FROM it_group_members m JOIN it_agents a ON a.user_id = m.user_id WHERE m.group_id = \(bind: id) ORDER BY a.actor
            """
        ).all().map { try $0.decode(column: "actor", as: String.self) }
        return try AssignmentGroup(RowReader(row), members: members)
    }

    /// The group a ticket goes to: the region's group for its category, else the region's
    /// catch-all group (no categories), else none.
    static func route(region: String, category: String, on sql: any SQLDatabase) async throws -> AssignmentGroup? {
        let row = try await sql.raw(
            """
            SELECT id FROM it_groups WHERE region = \(bind: region) AND (categories LIKE \(bind: "%,\(category),%") OR categories = ',')
            ORDER BY CASE WHEN categories = ',' THEN 1 ELSE 0 END, name LIMIT 1
            """
        ).first()
        guard let row else { return nil }
        return try await group(id: try row.decode(column: "id", as: String.self), on: sql)
    }
}
