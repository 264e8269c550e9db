import Foundation
import JSONCoding
import Kernel
import SQLKit
import VigilServer

/// A person's saved filters of a list page: a name for a query they run every shift ("S1 in
/// SP, unassigned"). Kept per person and page; saving and removing are audited as changes to the
/// user. The host adds them to any page whose view asks (`ConsoleView.savedFilters`).
enum SavedFilters {
    static let limitPerPage = 30

    struct Filter: Sendable {
        let id: String
        let name: String
        let query: String
    }

    static func list(user: UUID, page: String, runtime: VigilRuntime) async throws -> [Filter] {
        try await runtime.database.sql.raw(
            "SELECT id, name, query FROM vigil_saved_filters WHERE user_id = \(bind: user.lowercased) AND page = \(bind: page) ORDER BY name"
        ).all().map { row in
            Filter(
                id: try row.decode(column: "id", as: String.self), name: try row.decode(column: "name", as: String.self),
                query: try row.decode(column: "query", as: String.self))
        }
    }

    /// The page's query as it is saved: its filters, not its place in the list or display mode.
    static func savable(_ query: String) -> String {
        query.split(separator: "&").filter { pair in
            let name = pair.split(separator: "=", maxSplits: 1).first.map(String.init) ?? ""
            return !["cursor", "wall", ""].contains(name)
        }.joined(separator: "&")
    }

    /// The partial's data: each filter's link and removal form, and the save form's page and query.
    static func view(user: UUID, page: String, query: String?, runtime: VigilRuntime) async throws -> JSONValue {
        let filters = try await list(user: user, page: page, runtime: runtime)
        let current = savable(query ?? "")
        return .object([
            "page": .string(page), "query": .string(current), "canSave": .bool(!current.isEmpty),
            "items": .array(
                filters.map { filter in
                    .object([
                        "id": .string(filter.id), "name": .string(filter.name), "href": .string(page + "?" + filter.query),
                        "current": .bool(filter.query == current),
                    ])
                }),
            "hasItems": .bool(!filters.isEmpty),
        ])
    }

    static func save(page: String, name: String, query: String, by invocation: Invocation, runtime: VigilRuntime) async throws {
        guard let user = invocation.principal.userID?.lowercased else { throw VigilError(.forbidden, "only a person saves filters") }
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        let query = savable(query)
        var issues = Validator()
        issues.check(!name.isEmpty && name.count <= 60, "name", .invalid, "give a name of 1 to 60 characters")
        issues.check(
            page.hasPrefix("/console/") && page.count <= 200 && !page.contains("?") && !page.contains("#") && !page.contains(".."), "page", .invalid,
            "is not a console page")
        issues.check(
            !query.isEmpty && query.count <= 1_000 && !query.contains("#") && !query.contains(where: \.isNewline), "query", .invalid,
            "choose some filters first")
        try issues.finish()
        try await runtime.database.transaction(domain: .platform, invocation: invocation, now: runtime.clock.now()) { tx in
            let count =
                try await tx.sql.raw(
                    "SELECT COUNT(*) AS n FROM vigil_saved_filters WHERE user_id = \(bind: user) AND page = \(bind: page)"
                ).first()?.decode(column: "n", as: Int.self) ?? 0
            guard count < limitPerPage else { throw VigilError.invalid("name", .outOfRange, "a page keeps at most \(limitPerPage) saved filters") }
            // Saving under a name already used replaces that filter.
            try await tx.sql.raw("DELETE FROM vigil_saved_filters WHERE user_id = \(bind: user) AND page = \(bind: page) AND name = \(bind: name)").run()
            let id = UUID().uuidString.lowercased()
            try await tx.sql.raw(
                """
                INSERT INTO vigil_saved_filters (id, user_id, page, name, query, created_at)
                VALUES (\(bind: id), \(bind: user), \(bind: page), \(bind: name), \(bind: query), \(bind: tx.now.epochMicros))
                """
            ).run()
            try await tx.audit(
                AuditEntry(
                    action: "vigil.user.filter-saved", entity: EntityRef("vigil.user", user), region: nil,
                    changes: [
                        FieldChange(field: "page", before: nil, after: .string(page)), FieldChange(field: "name", before: nil, after: .string(name)),
                        FieldChange(field: "query", before: nil, after: .string(query)),
                    ]))
        }
    }

    /// Removes one of the person's own filters (another's id is not found).
    static func delete(_ id: String, by invocation: Invocation, runtime: VigilRuntime) async throws -> String {
        guard let user = invocation.principal.userID?.lowercased else { throw VigilError(.forbidden, "only a person saves filters") }
        return try await runtime.database.transaction(domain: .platform, invocation: invocation, now: runtime.clock.now()) { tx in
            guard
                let row = try await tx.sql.raw("SELECT page, name FROM vigil_saved_filters WHERE id = \(bind: id) AND user_id = \(bind: user)").first()
            else { throw VigilError.notFound("saved filter \(id)") }
            let page = try row.decode(column: "page", as: String.self)
            try await tx.sql.raw("DELETE FROM vigil_saved_filters WHERE id = \(bind: id)").run()
            try await tx.audit(
                AuditEntry(
                    action: "vigil.user.filter-removed", entity: EntityRef("vigil.user", user), region: nil,
                    changes: [FieldChange(field: "name", before: .string(try row.decode(column: "name", as: String.self)), after: .null)]))
            return page
        }
    }
}
