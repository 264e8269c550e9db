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
        return try JSONValueEncoder.encode(empty(region: snapshot.region, periodStart: snapshot.periodStart, periodEnd: snapshot.periodEnd)).jsonText
    }

    static func empty(region: String, periodStart: Date, periodEnd: Date) -> HandoverSnapshot {
        HandoverSnapshot(
            region: region, periodStart: periodStart, periodEnd: periodEnd, openByStatus: [:], openByAge: [:],
            breached: [], atRisk: [], escalationsOpen: [], sensitiveOpen: nil, unassigned: [], unassignedCount: 0, notable: [])
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
}

extension Handover: StoredRow {
    /// What recording runs: the view of a reader without sensitive access, never overdue.
    public init(_ row: RowReader) throws {
        try self.init(row, now: Date(timeIntervalSince1970: 0), graceMinutes: 0, seesSensitive: false)
    }

    /// `seesSensitive`: the reader may see sensitive cases; otherwise the snapshot without them.
    init(_ row: RowReader, now: Date, graceMinutes: Int, seesSensitive: Bool) throws {
        /// A snapshot column's JSON text, decoded only for the view the reader gets. nil only on a
        /// recording row, whose empty text is no snapshot.
        struct SnapshotText: StoredColumn {
            let text: String?
            static func read(_ column: String, from row: any SQLRow) throws -> SnapshotText {
                SnapshotText(text: try row.decode(column: column, as: String.self))
            }
            static var placeholder: SnapshotText { SnapshotText(text: nil) }
            var storedValue: any Encodable & Sendable { text }
        }
        id = try row["id"]
        region = try row["region"]
        shiftEndsAt = try row["shift_ends_at"]
        generatedAt = try row["generated_at"]
        generatedBy = try row["generated_by"]
        notes = try row["notes"]
        let full: SnapshotText = try row["snapshot"]
        acknowledgedAt = try row["acknowledged_at"]
        acknowledgedBy = try row["acknowledged_by"]
        let restricted: SnapshotText? = try row["restricted_snapshot"]
        overdue = acknowledgedAt == nil && now.timeIntervalSince(shiftEndsAt) > Double(graceMinutes) * 60
        guard let fullText = full.text else {
            // A recording row: its columns are noted, and there is no snapshot to decode.
            snapshot = .empty(region: region, periodStart: shiftEndsAt, periodEnd: shiftEndsAt)
            return
        }
        let stored =
            try seesSensitive
            ? fullText
            // A handover written before the restricted view existed shows nothing of its cases.
            : restricted?.text ?? HandoverSnapshot.withheld(from: fullText)
        snapshot = try VigilJSON.decoder.decode(HandoverSnapshot.self, from: Data(stored.utf8))
    }
}
