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

    init(id: String, category: String, version: Int, title: String, steps: [SOPStep], publishedAt: Date, publishedBy: String) {
        self.id = id
        self.category = category
        self.version = version
        self.title = title
        self.steps = steps
        self.publishedAt = publishedAt
        self.publishedBy = publishedBy
    }

    static func current(category: String, on sql: any SQLDatabase) async throws -> SOP? {
        try await sql.raw("SELECT \(unsafeRaw: columns) FROM incident_sops WHERE category = \(bind: category) ORDER BY version DESC LIMIT 1").first().map(
            SOP.init(row:))
    }
}

extension SOP: StoredRow {
    public init(_ row: RowReader) throws {
        id = try row["id"]
        category = try row["category"]
        version = try row["version"]
        title = try row["title"]
        steps = try row.json("steps", empty: [])
        publishedAt = try row["published_at"]
        publishedBy = try row["published_by"]
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
}

extension CaseStep: StoredRow {
    public init(_ row: RowReader) throws {
        key = try row["step_key"]
        title = try row["title"]
        mandatory = try row["mandatory"]
        dueAt = try row["due_at"]
        doneAt = try row["done_at"]
        doneBy = try row["done_by"]
        waivedAt = try row["waived_at"]
        waivedBy = try row["waived_by"]
        waiverReason = try row["waiver_reason"]
    }
}
