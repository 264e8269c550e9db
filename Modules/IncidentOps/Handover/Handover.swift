import Foundation
import JSONCoding
import Kernel
import SQLKit

/// What the incoming coordinator needs from the outgoing one: the desk as it stands, taken from
/// live data at the end of a shift, plus the outgoing coordinator's notes.
public struct HandoverSnapshot: Codable, Sendable, Hashable {
    public struct CaseLine: Codable, Sendable, Hashable {
        public let reference: String
        public let severity: String
        public let status: String
        public let category: String
        public let openedAt: Date
        public let detail: String?
    }

    public let region: String
    public let periodStart: Date
    public let periodEnd: Date
    public let openByStatus: [String: Int]
    /// Open cases by age: under 1 h, 1–4 h, 4–24 h, over 24 h.
    public let openByAge: [String: Int]
    public let breached: [CaseLine]
    public let atRisk: [CaseLine]
    public let escalationsOpen: [CaseLine]
    /// Open sensitive cases; absent from the view of readers without sensitive access.
    public let sensitiveOpen: Int?
    public let unassigned: [CaseLine]
    public let unassignedCount: Int
    public let notable: [CaseLine]
}

extension HandoverSnapshot {
    /// For a handover stored without a restricted view: its period only, no cases and no counts.
    static func withheld(from full: String) throws -> String {
        let snapshot = try VigilJSON.decoder.decode(HandoverSnapshot.self, from: Data(full.utf8))
        let empty = HandoverSnapshot(
            region: snapshot.region, periodStart: snapshot.periodStart, periodEnd: snapshot.periodEnd, openByStatus: [:], openByAge: [:],
            breached: [], atRisk: [], escalationsOpen: [], sensitiveOpen: nil, unassigned: [], unassignedCount: 0, notable: [])
        return try JSONValueEncoder.encode(empty).jsonText
    }
}

public struct Handover: Codable, Sendable, Hashable {
    public let id: String
    public let region: String
    public let shiftEndsAt: Date
    public let generatedAt: Date
    public let generatedBy: String
    public let notes: String?
    public let snapshot: HandoverSnapshot
    public let acknowledgedAt: Date?
    public let acknowledgedBy: String?
    /// Not acknowledged within the grace period after the shift ended.
    public let overdue: Bool

    static let columns = "id, region, shift_ends_at, generated_at, generated_by, notes, snapshot, acknowledged_at, acknowledged_by, restricted_snapshot"

    /// `seesSensitive`: the reader may see sensitive cases; otherwise the snapshot without them.
    init(row: any SQLRow, now: Date, graceMinutes: Int, seesSensitive: Bool) throws {
        id = try row.decode(column: "id", as: String.self)
        region = try row.decode(column: "region", as: String.self)
        shiftEndsAt = Date(epochMicros: try row.decode(column: "shift_ends_at", as: Int64.self))
        generatedAt = Date(epochMicros: try row.decode(column: "generated_at", as: Int64.self))
        generatedBy = try row.decode(column: "generated_by", as: String.self)
        notes = try row.optional("notes", as: String.self)
        let stored =
            try seesSensitive
            ? row.decode(column: "snapshot", as: String.self)
            // A handover written before the restricted view existed shows nothing of its cases.
            : row.optional("restricted_snapshot", as: String.self) ?? HandoverSnapshot.withheld(from: try row.decode(column: "snapshot", as: String.self))
        snapshot = try VigilJSON.decoder.decode(HandoverSnapshot.self, from: Data(stored.utf8))
        acknowledgedAt = try row.optional("acknowledged_at", as: Int64.self).map(Date.init(epochMicros:))
        acknowledgedBy = try row.optional("acknowledged_by", as: String.self)
        overdue = acknowledgedAt == nil && now.timeIntervalSince(shiftEndsAt) > Double(graceMinutes) * 60
    }
}
