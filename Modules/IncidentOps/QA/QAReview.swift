import Calendars
import Crypto
import Foundation
import JSONCoding
import Kernel
import SQLKit

/// A quality review of one closed case, scored on a fixed scorecard.
public struct QAReview: Codable, Sendable, Hashable {
    public static let criteria = ["sop-followed", "communication", "documentation", "resolution-quality"]

    public let id: String
    public let caseId: String
    public let analystId: String
    public let region: String
    public let weekStart: Date
    public let state: String
    public let scores: [String: Int]?
    /// 0–100: the mean of the criteria (each 0–5) scaled.
    public let score: Double?
    public let comment: String?
    public let reviewer: String?
    public let reviewedAt: Date?
}

extension QAReview: StoredRow {
    public init(_ row: RowReader) throws {
        id = try row["id"]
        caseId = try row["case_id"]
        analystId = try row["analyst_id"]
        region = try row["region"]
        weekStart = try row["week_start"]
        state = try row["state"]
        scores = try row.optionalJSON("scores", as: [String: Int].self)
        score = try row["score"]
        comment = try row["comment"]
        reviewer = try row["reviewer"]
        reviewedAt = try row["reviewed_at"]
    }
}

/// Weekly samples of closed cases per analyst, and their scorecards. Samples are reproducible:
/// the same week picks the same cases (ordered by a digest of week and case).
public struct QAService: Sendable {
    let context: DomainContext

    public init(context: DomainContext) { self.context = context }

    /// Monday 00:00 UTC of the week containing `date`.
    public static func weekStart(of date: Date) -> Date {
        var calendar = Calendar.utc
        calendar.firstWeekday = 2
        return calendar.dateInterval(of: .weekOfYear, for: date)?.start ?? date
    }

    public func sample(region: RegionCode, week: Date, perAnalyst: Int, by invocation: Invocation) async throws -> [QAReview] {
        try invocation.principal.require(IncidentOpsPermissions.qaReview)
        try await context.requireWritable(region, by: invocation.principal)
        guard (1...20).contains(perAnalyst) else { throw VigilError.invalid("perAnalyst", .outOfRange, "must be 1 to 20") }
        let start = Self.weekStart(of: week)
        let end = start.addingTimeInterval(7 * 86_400)
        return try await context.transaction(invocation) { tx in
            let rows = try await tx.sql.raw(
                """
                SELECT c.id, c.assignee FROM incident_cases c
                WHERE c.region = \(bind: region.rawValue) AND c.status = 'closed' AND c.assignee IS NOT NULL
                  AND c.closed_at >= \(bind: start.epochMicros) AND c.closed_at < \(bind: end.epochMicros)
                  AND NOT EXISTS (SELECT 1 FROM incident_qa_reviews r WHERE r.case_id = c.id)
                """
            ).all()
            var byAnalyst: [String: [String]] = [:]
            for row in rows {
                byAnalyst[try row.decode(column: "assignee", as: String.self), default: []].append(try row.decode(column: "id", as: String.self))
            }
            let alreadySampled = try await tx.sql.raw(
                """
                SELECT analyst_id, COUNT(*) AS n FROM incident_qa_reviews WHERE region = \(bind: region.rawValue) AND week_start = \(bind: start.epochMicros) GROUP BY analyst_id
                """
            ).all().reduce(into: [String: Int]()) { $0[try $1.decode(column: "analyst_id", as: String.self)] = try $1.decode(column: "n", as: Int.self) }
            var created: [String] = []
            for (analyst, ids) in byAnalyst.sorted(by: { $0.key < $1.key }) {
                let wanted = max(0, perAnalyst - (alreadySampled[analyst] ?? 0))
                let picked = ids.sorted { Self.rank(start, $0) < Self.rank(start, $1) }.prefix(wanted)
                for caseID in picked {
                    let id = context.ids.next().lowercased
                    try await tx.sql.raw(
                        """
                        INSERT INTO incident_qa_reviews (id, case_id, analyst_id, region, week_start, state, created_at)
                        VALUES (\(bind: id), \(bind: caseID), \(bind: analyst), \(bind: region.rawValue), \(bind: start.epochMicros), 'pending', \(bind: tx.now.epochMicros))
                        """
                    ).run()
                    created.append(id)
                }
            }
            try await tx.audit(
                AuditEntry(
                    action: "incident-ops.qa.sample", entity: EntityRef("incident-ops.qa-week", "\(region.rawValue)/\(ISO8601.format(start))"),
                    region: region, changes: [FieldChange(field: "sampled", before: nil, after: .integer(Int64(created.count)))]))
            return try await tx.sql.raw(
                """
                SELECT \(unsafeRaw: QAReview.columns) FROM incident_qa_reviews WHERE region = \(bind: region.rawValue) AND week_start = \(bind: start.epochMicros) ORDER BY analyst_id, id
                """
            ).all().map(QAReview.init(row:))
        }
    }

    static func rank(_ week: Date, _ caseID: String) -> String {
        Hex.encode(SHA256.hash(data: Array("\(week.epochMicros)/\(caseID)".utf8)))
    }

    public func score(_ id: String, scores: [String: Int], comment: String?, by invocation: Invocation) async throws -> QAReview {
        try invocation.principal.require(IncidentOpsPermissions.qaReview)
        var validator = Validator()
        validator.check(Set(scores.keys) == Set(QAReview.criteria), "scores", .invalid, "score exactly: \(QAReview.criteria.joined(separator: ", "))")
        for (criterion, value) in scores { validator.check((0...5).contains(value), "scores.\(criterion)", .outOfRange, "must be 0 to 5") }
        if let comment { validator.check(comment.count <= 5_000, "comment", .tooLong, "must be at most 5000 characters") }
        try validator.finish()
        let score = Double(scores.values.reduce(0, +)) / Double(scores.count) * 20
        return try await context.transaction(invocation) { tx in
            let query: SQLQueryString =
                "SELECT \(unsafeRaw: QAReview.columns) FROM incident_qa_reviews WHERE id = \(bind: id)"
                + CaseVisibility.condition("incident_qa_reviews", for: invocation.principal)
            guard let review = try await tx.sql.raw(query).first().map(QAReview.init(row:)),
                invocation.principal.canAccess(RegionCode(stored: review.region))
            else { throw VigilError.notFound("review \(id)") }
            guard review.state == "pending" else { throw VigilError(.conflict, "the review is done already") }
            guard review.analystId != invocation.principal.userID?.lowercased else { throw VigilError(.forbidden, "analysts do not review their own cases") }
            try await tx.sql.raw(
                """
                UPDATE incident_qa_reviews SET state = 'done', scores = \(bind: try JSONValueEncoder.encode(scores).jsonText), score = \(bind: score),
                    comment = \(bind: comment), reviewer = \(bind: tx.principal.actor), reviewed_at = \(bind: tx.now.epochMicros)
                WHERE id = \(bind: id) AND state = 'pending'
                """
            ).run()
            try await tx.audit(
                AuditEntry(
                    action: "incident-ops.qa.review", entity: EntityRef("incident-ops.qa-review", id), region: RegionCode(stored: review.region),
                    changes: [FieldChange(field: "score", before: nil, after: .number(score))]))
            return try await tx.sql.raw("SELECT \(unsafeRaw: QAReview.columns) FROM incident_qa_reviews WHERE id = \(bind: id)").first().map(
                QAReview.init(row:)
            ).orInternal("the record")
        }
    }

    public func list(region: RegionCode, week: Date?, by principal: Principal) async throws -> [QAReview] {
        try principal.require(IncidentOpsPermissions.reportRead)
        try context.authorization.requireVisible(principal, region: region, entity: "region \(region)")
        var query: SQLQueryString = "SELECT \(unsafeRaw: QAReview.columns) FROM incident_qa_reviews WHERE region = \(bind: region.rawValue)"
        if let week { query += " AND week_start = \(bind: Self.weekStart(of: week).epochMicros)" }
        // A review names its case: a sensitive case's review only for those who may see the case.
        query += CaseVisibility.condition("incident_qa_reviews", for: principal)
        query += " ORDER BY week_start DESC, analyst_id LIMIT 1000"
        return try await context.database.sql.raw(query).all().map(QAReview.init(row:))
    }
}
