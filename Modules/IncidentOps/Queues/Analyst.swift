import Foundation
import Kernel
import SQLKit

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

    static let columns = "user_id, name, actor, region, skills, languages, capacity, sensitive_ok, active_cases, last_assigned_at"

    init(row: any SQLRow) throws {
        userId = try row.decode(column: "user_id", as: String.self)
        name = try row.decode(column: "name", as: String.self)
        actor = try row.decode(column: "actor", as: String.self)
        region = try row.decode(column: "region", as: String.self)
        skills = CommaList.items(try row.decode(column: "skills", as: String.self))
        languages = CommaList.items(try row.decode(column: "languages", as: String.self))
        capacity = try row.decode(column: "capacity", as: Int.self)
        sensitiveOK = try row.decode(column: "sensitive_ok", as: Bool.self)
        activeCases = try row.decode(column: "active_cases", as: Int.self)
        let last = try row.decode(column: "last_assigned_at", as: Int64.self)
        lastAssignedAt = last == 0 ? nil : Date(epochMicros: last)
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
    public enum Role: String, Codable, Sendable, CaseIterable { case analyst, specialist, coordinator }
    public enum Kind: String, Codable, Sendable, CaseIterable { case planned, swap, override }

    public let id: String
    public let region: String
    public let userId: String
    public let role: Role
    public let startsAt: Date
    public let endsAt: Date
    public let kind: Kind
    public let approvedBy: String?
    public let note: String?

    static let columns = "id, region, user_id, role, starts_at, ends_at, kind, approved_by, note"

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

    init(row: any SQLRow) throws {
        id = try row.decode(column: "id", as: String.self)
        region = try row.decode(column: "region", as: String.self)
        userId = try row.decode(column: "user_id", as: String.self)
        role = try row.decode("role", as: Role.self)
        startsAt = Date(epochMicros: try row.decode(column: "starts_at", as: Int64.self))
        endsAt = Date(epochMicros: try row.decode(column: "ends_at", as: Int64.self))
        kind = try row.decode("kind", as: Kind.self)
        approvedBy = try row.optional("approved_by", as: String.self)
        note = try row.optional("note", as: String.self)
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
