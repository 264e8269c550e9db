import Kernel
import SQLKit

/// What the API and the CLI both call: permission, validation, then one audited transaction.
public struct NoticeService: Sendable {
    let context: DomainContext

    public func list(region: RegionCode?, page: PageRequest, by principal: Principal) async throws -> Page<Notice> {
        try await context.list(Notice.self, region: region, page: page, by: principal)
    }

    public func get(_ id: String, by principal: Principal) async throws -> Notice {
        try await context.get(Notice.self, id.lowercased(), by: principal)
    }

    public func post(_ input: NoticeInput, by invocation: Invocation) async throws -> Notice {
        try invocation.principal.require(NoticeboardModule.post)
        try check(title: input.title, body: input.body)
        try await context.requireWritable(input.region, by: invocation.principal)
        return try await context.transaction(invocation) { tx in
            let notice = Notice(
                id: context.ids.next().lowercased, region: input.region, title: input.title, body: input.body, pinned: input.pinned ?? false,
                createdAt: tx.now, updatedAt: tx.now, version: 1)
            if notice.pinned { try await Self.checkRoomToPin(in: notice.region, on: tx.sql) }
            return try await tx.create(notice, action: "noticeboard.notice.post")
        }
    }

    public func update(_ id: String, _ change: NoticeChange, expectedVersion: Int, by invocation: Invocation) async throws -> Notice {
        try invocation.principal.require(NoticeboardModule.post)
        let before = try await get(id, by: invocation.principal)
        let after = try before.merging(change)
        try check(title: after.title, body: after.body)
        return try await context.transaction(invocation) { tx in
            if after.pinned && !before.pinned { try await Self.checkRoomToPin(in: before.region, on: tx.sql) }
            return try await tx.update(before, to: after, expectedVersion: expectedVersion, action: "noticeboard.notice.update")
        }
    }

    private func check(title: String, body: String) throws(VigilError) {
        var validator = Validator()
        validator.check((1...120).contains(title.count), "title", .invalid, "must be 1 to 120 characters")
        validator.check(body.count <= 4000, "body", .tooLong, "must be at most 4000 characters")
        try validator.finish()
    }

    // MARK: The rule

    /// A board shows at most five pinned notices: a sixth would push the first off a phone's screen.
    static let pinnedLimit = 5

    static func checkRoomToPin(in region: RegionCode, on sql: any SQLDatabase) async throws {
        let pinned =
            try await sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(Notice.table)
            .where("region", .equal, region.rawValue).where("pinned", .equal, true).first()?.decode(column: "n", as: Int.self) ?? 0
        if pinned >= pinnedLimit { throw VigilError(.conflict, "\(region) has \(pinnedLimit) pinned notices already: unpin one first") }
    }
}
