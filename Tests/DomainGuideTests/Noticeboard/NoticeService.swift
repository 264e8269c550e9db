import Foundation
import Kernel
import SQLKit

/// What the API and the CLI both call: permission, validation, then one audited transaction.
public struct NoticeService: Sendable {
    let context: DomainContext

    public func list(region: RegionCode?, page: PageRequest, by principal: Principal) async throws -> Page<Notice> {
        try principal.require(NoticeboardModule.read)
        let select = context.database.sql.select().column(SQLRaw(Notice.columns)).from(NoticeStore.table)
        if let region { select.where("region", .equal, region.rawValue) }
        // Only the caller's regions: another region's notices leak neither in items nor in paging.
        if let regions = principal.regions.filter { select.where("region", .in, regions.map(\.rawValue)) }
        let notices = try await select.keyset(NoticeStore.order, after: page.after, limit: page.limit).all().map(Notice.init(row:))
        return notices.page(limit: page.limit) { Cursor([.integer($0.createdAt.epochMicros), .text($0.id)]) }
    }

    public func get(_ id: String, by principal: Principal) async throws -> Notice {
        try principal.require(NoticeboardModule.read)
        guard let notice = try await NoticeStore.find(id.lowercased(), on: context.database.sql) else { throw VigilError.notFound("notice \(id)") }
        try context.authorization.requireVisible(principal, region: notice.region, entity: "notice \(id)")
        return notice
    }

    public func post(_ input: NoticeInput, by invocation: Invocation) async throws -> Notice {
        try invocation.principal.require(NoticeboardModule.post)
        var validator = Validator()
        let region = validator.region(input.region)
        check(title: input.title, body: input.body, into: &validator)
        try validator.finish()
        try await context.requireWritable(region!, by: invocation.principal)
        return try await context.transaction(invocation) { tx in
            let notice = Notice(
                id: context.ids.next().lowercased, region: region!, title: input.title, body: input.body, pinned: input.pinned ?? false,
                createdAt: tx.now, updatedAt: tx.now, version: 1)
            if notice.pinned { try await Self.checkRoomToPin(in: notice.region, on: tx.sql) }
            try await NoticeStore.insert(notice, on: tx.sql)
            try await tx.audit(
                AuditEntry(
                    action: "noticeboard.notice.post", entity: EntityRef("noticeboard.notice", notice.id), region: notice.region,
                    changes: try FieldChange.diff(before: Notice?.none, after: notice), isCreation: true))
            return notice
        }
    }

    public func update(_ id: String, _ change: NoticeChange, expectedVersion: Int, by invocation: Invocation) async throws -> Notice {
        try invocation.principal.require(NoticeboardModule.post)
        let before = try await get(id, by: invocation.principal)
        var validator = Validator()
        check(title: change.title ?? before.title, body: change.body ?? before.body, into: &validator)
        try validator.finish()
        return try await context.transaction(invocation) { tx in
            if change.pinned == true && !before.pinned { try await Self.checkRoomToPin(in: before.region, on: tx.sql) }
            var assignments: [(column: String, value: any Encodable & Sendable)] = [("updated_at", tx.now.epochMicros)]
            if let title = change.title { assignments.append(("title", title)) }
            if let body = change.body { assignments.append(("body", body)) }
            if let pinned = change.pinned { assignments.append(("pinned", pinned)) }
            _ = try await tx.updateVersioned(
                table: NoticeStore.table, id: before.id, expectedVersion: expectedVersion, entity: "notice \(id)", assignments: assignments)
            let after = try await NoticeStore.find(before.id, on: tx.sql).orInternal("the notice")
            try await tx.audit(
                AuditEntry(
                    action: "noticeboard.notice.update", entity: EntityRef("noticeboard.notice", before.id), region: before.region,
                    changes: try FieldChange.diff(before: before, after: after)))
            return after
        }
    }

    private func check(title: String, body: String, into validator: inout Validator) {
        validator.check((1...120).contains(title.count), "title", .invalid, "must be 1 to 120 characters")
        validator.check(body.count <= 4000, "body", .tooLong, "must be at most 4000 characters")
    }

    // MARK: The rule

    /// A board shows at most five pinned notices: a sixth would push the first off a phone's screen.
    static let pinnedLimit = 5

    static func checkRoomToPin(in region: RegionCode, on sql: any SQLDatabase) async throws {
        let pinned =
            try await sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(NoticeStore.table)
            .where("region", .equal, region.rawValue).where("pinned", .equal, true).first()?.decode(column: "n", as: Int.self) ?? 0
        if pinned >= pinnedLimit { throw VigilError(.conflict, "\(region) has \(pinnedLimit) pinned notices already: unpin one first") }
    }
}
