import Foundation
import Kernel

/// A user who works cases: their skills, languages, how many open cases they can hold, and
/// whether sensitive cases may go to them. `activeCases` is kept in the same transactions that
/// assign and release cases, so capacity holds however many intakes run at once.
public struct Analyst: Codable, Sendable, Hashable {
    public let userId: String
    public let name: String
    public let actor: String
    public let region: String
    public let skills: [String]
    public let languages: [String]
    public let capacity: Int
    public let sensitiveOK: Bool
    public private(set) var activeCases: Int
    public private(set) var lastAssignedAt: Date?

    /// The analyst as a reader without sensitive access sees them: their load without the
    /// sensitive cases hidden from the reader, and no time of last assignment (it could be one).
    func withholding(hiddenCases: Int) -> Analyst {
        var copy = self
        copy.activeCases = max(0, activeCases - hiddenCases)
        copy.lastAssignedAt = nil
        return copy
    }
}

extension Analyst: StoredRow {
    public init(_ row: RowReader) throws {
        userId = try row["user_id"]
        name = try row["name"]
        actor = try row["actor"]
        region = try row["region"]
        skills = try row["skills"]
        languages = try row["languages"]
        capacity = try row["capacity"]
        sensitiveOK = try row["sensitive_ok"]
        activeCases = try row["active_cases"]
        lastAssignedAt = try row.instantOrNever("last_assigned_at")
    }
}

public struct AnalystInput: Codable, Sendable {
    public var email: String
    public var region: String
    public var skills: [String]
    public var languages: [String]
    public var capacity: Int
    public var sensitiveOK: Bool?

    public init(email: String, region: String, skills: [String], languages: [String], capacity: Int, sensitiveOK: Bool? = nil) {
        self.email = email
        self.region = region
        self.skills = skills
        self.languages = languages
        self.capacity = capacity
        self.sensitiveOK = sensitiveOK
    }
}

/// Who is on which shift, when: planned shifts, swaps and overrides, each with who approved it.
public struct ShiftEntry: Codable, Sendable, Hashable {
    public enum Role: String, Codable, Sendable, StoredEnum { case analyst, specialist, coordinator }
    public enum Kind: String, Codable, Sendable, StoredEnum { case planned, swap, override }

    public let id: String
    public let region: String
    public let userId: String
    public let role: Role
    public let startsAt: Date
    public let endsAt: Date
    public let kind: Kind
    public let approvedBy: String?
    public let note: String?

    init(id: String, region: String, userId: String, role: Role, startsAt: Date, endsAt: Date, kind: Kind, approvedBy: String?, note: String?) {
        self.id = id
        self.region = region
        self.userId = userId
        self.role = role
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.kind = kind
        self.approvedBy = approvedBy
        self.note = note
    }
}

extension ShiftEntry: StoredRow {
    public init(_ row: RowReader) throws {
        id = try row["id"]
        region = try row["region"]
        userId = try row["user_id"]
        role = try row["role"]
        startsAt = try row["starts_at"]
        endsAt = try row["ends_at"]
        kind = try row["kind"]
        approvedBy = try row["approved_by"]
        note = try row["note"]
    }
}

public struct ShiftInput: Codable, Sendable {
    public var email: String
    public var region: String
    public var role: String
    public var startsAt: Date
    public var endsAt: Date
    public var kind: String?
    public var note: String?

    public init(email: String, region: String, role: String, startsAt: Date, endsAt: Date, kind: String? = nil, note: String? = nil) {
        self.email = email
        self.region = region
        self.role = role
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.kind = kind
        self.note = note
    }
}
