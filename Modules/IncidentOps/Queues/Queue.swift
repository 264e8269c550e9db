import Foundation
import Kernel
import SQLKit
import WorkAssignment

/// Where cases wait for an analyst: a region, optionally narrowed to a business line and category.
public struct CaseQueue: Codable, Sendable, Hashable {
    public let id: String
    public let region: String
    public let name: String
    public let businessLine: BusinessLine?
    public let category: String?
    public let requiredSkill: String?
    public let requiredLanguage: String?
    public let strategy: AssignmentStrategy
    public let version: Int

    init(
        id: String, region: String, name: String, businessLine: BusinessLine?, category: String?, requiredSkill: String?, requiredLanguage: String?,
        strategy: AssignmentStrategy, version: Int
    ) {
        self.id = id
        self.region = region
        self.name = name
        self.businessLine = businessLine
        self.category = category
        self.requiredSkill = requiredSkill
        self.requiredLanguage = requiredLanguage
        self.strategy = strategy
        self.version = version
    }

    /// How narrowly the queue matches: more specific queues win when several match a case.
    var specificity: Int { (businessLine == nil ? 0 : 2) + (category == nil ? 0 : 1) }

    func matches(_ incident: IncidentCase) -> Bool {
        region == incident.region.rawValue
            && (businessLine == nil || businessLine == incident.businessLine)
            && (category == nil || category == incident.category)
    }
}

extension CaseQueue: StoredRow {
    public init(_ row: RowReader) throws {
        id = try row["id"]
        region = try row["region"]
        name = try row["name"]
        businessLine = try row["business_line"]
        category = try row["category"]
        requiredSkill = try row["required_skill"]
        requiredLanguage = try row["required_language"]
        strategy = try row["strategy"]
        version = try row["version"]
    }
}

public struct QueueInput: Codable, Sendable {
    public var region: String
    public var name: String
    public var businessLine: String?
    public var category: String?
    public var requiredSkill: String?
    public var requiredLanguage: String?
    public var strategy: String

    public init(
        region: String, name: String, businessLine: String? = nil, category: String? = nil, requiredSkill: String? = nil,
        requiredLanguage: String? = nil, strategy: String
    ) {
        self.region = region
        self.name = name
        self.businessLine = businessLine
        self.category = category
        self.requiredSkill = requiredSkill
        self.requiredLanguage = requiredLanguage
        self.strategy = strategy
    }
}

/// The languages the desk works in.
public enum DeskLanguage {
    public static let all = ["pt-BR", "en", "es", "zh"]
}

struct QueueStore: Sendable {
    func all(region: String?, on sql: any SQLDatabase) async throws -> [CaseQueue] {
        if let region {
            return try await sql.raw("SELECT \(unsafeRaw: CaseQueue.columns) FROM incident_queues WHERE region = \(bind: region) ORDER BY name").all().map(
                CaseQueue.init(row:))
        }
        return try await sql.raw("SELECT \(unsafeRaw: CaseQueue.columns) FROM incident_queues ORDER BY region, name LIMIT 1000").all().map(CaseQueue.init(row:))
    }

    func find(_ id: String, on sql: any SQLDatabase) async throws -> CaseQueue? {
        try await sql.raw("SELECT \(unsafeRaw: CaseQueue.columns) FROM incident_queues WHERE id = \(bind: id)").first().map(CaseQueue.init(row:))
    }

    /// The most specific queue of the case's region that matches it.
    func route(_ incident: IncidentCase, context: DomainContext, on sql: any SQLDatabase) async throws -> CaseQueue? {
        let queues = try await DeskCaches.queues.value(DeskCaches.key(incident.region.rawValue), database: context.database, now: context.clock.now()) {
            try await all(region: incident.region.rawValue, on: sql)
        }
        return queues.filter { $0.matches(incident) }.max { $0.specificity < $1.specificity }
    }
}
