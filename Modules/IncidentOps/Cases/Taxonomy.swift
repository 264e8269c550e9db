import Foundation
import JSONCoding
import Kernel
import SQLKit

/// Subcategories per region: a region that lists subcategories for a category accepts only those
/// (and requires one); a region that lists none accepts any.
public struct Taxonomy: Sendable {
    let context: DomainContext

    public init(context: DomainContext) { self.context = context }

    func check(region: RegionCode, category: String, subcategory: String?) async throws {
        let allowed = try await DeskCaches.taxonomy.value(DeskCaches.key(region.rawValue, category), database: context.database, now: context.clock.now()) {
            try await subcategories(region: region, category: category)
        }
        guard !allowed.isEmpty else { return }
        guard let subcategory else {
            throw VigilError.invalid("subcategory", .required, "\(region) classifies \(category) cases: give one of \(allowed.joined(separator: ", "))")
        }
        guard allowed.contains(subcategory) else {
            throw VigilError.invalid("subcategory", .notAllowed, "must be one of \(allowed.joined(separator: ", ")) in \(region)")
        }
    }

    func subcategories(region: RegionCode, category: String) async throws -> [String] {
        try await context.database.sql.raw(
            """
            SELECT subcategory FROM incident_taxonomy WHERE region = \(bind: region.rawValue) AND category = \(bind: category) ORDER BY subcategory
            """
        ).all().map { try $0.decode(column: "subcategory", as: String.self) }
    }

    public struct Entry: Codable, Sendable, Hashable {
        public let region: String
        public let category: String
        public let subcategories: [String]
    }

    /// Replaces the subcategories of a region's category (an empty list removes them).
    public func set(region: String, category: String, subcategories: [String], by invocation: Invocation) async throws -> Entry {
        try invocation.principal.require(IncidentOpsPermissions.deskManage)
        var validator = Validator()
        let code = validator.region(region)
        validator.check(CaseCategory.all.contains(category), "category", .notAllowed, "must be one of \(CaseCategory.all.joined(separator: ", "))")
        validator.check(subcategories.count <= 50, "subcategories", .tooLong, "at most 50")
        for item in subcategories { validator.check(CommaList.isToken(item), "subcategories", .format, "'\(item)' is not a short word") }
        try validator.finish()
        try await context.requireWritable(code!, by: invocation.principal)
        let unique = Array(Set(subcategories)).sorted()
        // After commit, so no intake reloads the old value in between.
        defer { DeskCaches.taxonomy.invalidateAll() }
        return try await context.transaction(invocation) { tx in
            let before = try await tx.sql.raw(
                "SELECT subcategory FROM incident_taxonomy WHERE region = \(bind: code!.rawValue) AND category = \(bind: category)"
            )
            .all().map { try $0.decode(column: "subcategory", as: String.self) }.sorted()
            try await tx.sql.raw("DELETE FROM incident_taxonomy WHERE region = \(bind: code!.rawValue) AND category = \(bind: category)").run()
            for item in unique {
                try await tx.sql.raw(
                    "INSERT INTO incident_taxonomy (region, category, subcategory) VALUES (\(bind: code!.rawValue), \(bind: category), \(bind: item))"
                ).run()
            }
            try await tx.audit(
                AuditEntry(
                    action: "incident-ops.taxonomy.set", entity: EntityRef("incident-ops.taxonomy", "\(code!.rawValue)/\(category)"), region: code,
                    changes: [FieldChange(field: "subcategories", before: .array(before.map(JSONValue.string)), after: .array(unique.map(JSONValue.string)))]))
            return Entry(region: code!.rawValue, category: category, subcategories: unique)
        }
    }

    public func list(region: RegionCode, by principal: Principal) async throws -> [Entry] {
        try principal.require(IncidentOpsPermissions.caseRead)
        let rows = try await context.database.sql.raw(
            "SELECT category, subcategory FROM incident_taxonomy WHERE region = \(bind: region.rawValue) ORDER BY category, subcategory"
        ).all()
        var byCategory: [String: [String]] = [:]
        for row in rows {
            byCategory[try row.decode(column: "category", as: String.self), default: []].append(try row.decode(column: "subcategory", as: String.self))
        }
        return CaseCategory.all.map { Entry(region: region.rawValue, category: $0, subcategories: byCategory[$0] ?? []) }
    }
}
