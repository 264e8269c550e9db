import Foundation
import JSONCoding
import Kernel
import SQLKit

/// One required step of a runbook, with its deadline counted from the case's creation.
public struct SOPStep: Codable, Sendable, Hashable {
    public let key: String
    public let title: String
    public let mandatory: Bool
    public let deadlineMinutes: Int
    /// Applies only to cases at or above this severity (e.g. notify authorities for S1).
    public let minimumSeverity: Severity?

    public init(key: String, title: String, mandatory: Bool, deadlineMinutes: Int, minimumSeverity: Severity? = nil) {
        self.key = key
        self.title = title
        self.mandatory = mandatory
        self.deadlineMinutes = deadlineMinutes
        self.minimumSeverity = minimumSeverity
    }

    func applies(to severity: Severity) -> Bool { minimumSeverity.map { severity <= $0 } ?? true }
}

/// A versioned runbook of a category. A case follows the version in force when it was opened.
public struct SOP: Codable, Sendable, Hashable {
    public let id: String
    public let category: String
    public let version: Int
    public let title: String
    public let steps: [SOPStep]
    public let publishedAt: Date
    public let publishedBy: String

    static let columns = "id, category, version, title, steps, published_at, published_by"

    init(id: String, category: String, version: Int, title: String, steps: [SOPStep], publishedAt: Date, publishedBy: String) {
        self.id = id
        self.category = category
        self.version = version
        self.title = title
        self.steps = steps
        self.publishedAt = publishedAt
        self.publishedBy = publishedBy
    }

    init(row: any SQLRow) throws {
        self.init(
            id: try row.decode(column: "id", as: String.self), category: try row.decode(column: "category", as: String.self),
            version: try row.decode(column: "version", as: Int.self), title: try row.decode(column: "title", as: String.self),
            steps: try VigilJSON.decoder.decode([SOPStep].self, from: Data(try row.decode(column: "steps", as: String.self).utf8)),
            publishedAt: Date(epochMicros: try row.decode(column: "published_at", as: Int64.self)),
            publishedBy: try row.decode(column: "published_by", as: String.self))
    }

    static func current(category: String, on sql: any SQLDatabase) async throws -> SOP? {
        try await sql.raw("SELECT \(unsafeRaw: columns) FROM incident_sops WHERE category = \(bind: category) ORDER BY version DESC LIMIT 1").first().map(
            SOP.init(row:))
    }
}

public struct SOPInput: Codable, Sendable {
    public var category: String
    public var title: String
    public var steps: [SOPStep]

    public init(category: String, title: String, steps: [SOPStep]) {
        self.category = category
        self.title = title
        self.steps = steps
    }
}

/// A case's checklist item.
public struct CaseStep: Codable, Sendable, Hashable {
    public let key: String
    public let title: String
    public let mandatory: Bool
    public let dueAt: Date
    public let doneAt: Date?
    public let doneBy: String?
    public let waivedAt: Date?
    public let waivedBy: String?
    public let waiverReason: String?

    public var isSettled: Bool { doneAt != nil || waivedAt != nil }
    public var onTime: Bool { doneAt.map { $0 <= dueAt } ?? false }

    static let columns = "step_key, title, mandatory, due_at, done_at, done_by, waived_at, waived_by, waiver_reason"

    init(row: any SQLRow) throws {
        key = try row.decode(column: "step_key", as: String.self)
        title = try row.decode(column: "title", as: String.self)
        mandatory = try row.decode(column: "mandatory", as: Bool.self)
        dueAt = Date(epochMicros: try row.decode(column: "due_at", as: Int64.self))
        doneAt = try row.optional("done_at", as: Int64.self).map(Date.init(epochMicros:))
        doneBy = try row.optional("done_by", as: String.self)
        waivedAt = try row.optional("waived_at", as: Int64.self).map(Date.init(epochMicros:))
        waivedBy = try row.optional("waived_by", as: String.self)
        waiverReason = try row.optional("waiver_reason", as: String.self)
    }
}
