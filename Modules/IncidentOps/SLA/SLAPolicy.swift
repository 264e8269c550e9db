import Foundation
import Kernel
import SQLKit

/// Targets for one region × business line × severity.
public struct SLAPolicy: Codable, Sendable, Hashable {
    public let region: String
    public let businessLine: BusinessLine
    public let severity: Severity
    public let acknowledgeMinutes: Int
    public let firstActionMinutes: Int
    public let resolveMinutes: Int
    public let warningPercent: Int
    /// `24x7`, or `business` for the region's working hours.
    public let calendar: String
    public let isDefault: Bool

    public func targetSeconds(_ kind: SLAClockKind) -> Int64 {
        switch kind {
        case .acknowledge: Int64(acknowledgeMinutes) * 60
        case .firstAction: Int64(firstActionMinutes) * 60
        case .resolve: Int64(resolveMinutes) * 60
        }
    }

    /// Used where a region has no policy of its own: 24/7, tighter the more severe.
    public static func builtIn(region: String, businessLine: BusinessLine, severity: Severity) -> SLAPolicy {
        let (acknowledge, firstAction, resolve) =
            switch severity {
            case .s1: (5, 15, 4 * 60)
            case .s2: (15, 60, 24 * 60)
            case .s3: (60, 4 * 60, 3 * 24 * 60)
            case .s4: (4 * 60, 24 * 60, 7 * 24 * 60)
            }
        return SLAPolicy(
            region: region, businessLine: businessLine, severity: severity, acknowledgeMinutes: acknowledge,
            firstActionMinutes: firstAction, resolveMinutes: resolve, warningPercent: 80, calendar: "24x7", isDefault: true)
    }

    init(
        region: String, businessLine: BusinessLine, severity: Severity, acknowledgeMinutes: Int, firstActionMinutes: Int, resolveMinutes: Int,
        warningPercent: Int, calendar: String, isDefault: Bool
    ) {
        self.region = region
        self.businessLine = businessLine
        self.severity = severity
        self.acknowledgeMinutes = acknowledgeMinutes
        self.firstActionMinutes = firstActionMinutes
        self.resolveMinutes = resolveMinutes
        self.warningPercent = warningPercent
        self.calendar = calendar
        self.isDefault = isDefault
    }
}

extension SLAPolicy: StoredRow {
    public init(_ row: RowReader) throws {
        region = try row["region"]
        businessLine = try row["business_line"]
        severity = try row["severity"]
        acknowledgeMinutes = try row["acknowledge_minutes"]
        firstActionMinutes = try row["first_action_minutes"]
        resolveMinutes = try row["resolve_minutes"]
        warningPercent = try row["warning_percent"]
        calendar = try row["calendar"]
        isDefault = false
    }
}

/// A policy as set through the API or the CLI.
public struct SLAPolicyInput: Codable, Sendable {
    public var region: String
    public var businessLine: String
    public var severity: String
    public var acknowledgeMinutes: Int
    public var firstActionMinutes: Int
    public var resolveMinutes: Int
    public var warningPercent: Int?
    public var calendar: String?

    public init(
        region: String, businessLine: String, severity: String, acknowledgeMinutes: Int, firstActionMinutes: Int, resolveMinutes: Int,
        warningPercent: Int? = nil, calendar: String? = nil
    ) {
        self.region = region
        self.businessLine = businessLine
        self.severity = severity
        self.acknowledgeMinutes = acknowledgeMinutes
        self.firstActionMinutes = firstActionMinutes
        self.resolveMinutes = resolveMinutes
        self.warningPercent = warningPercent
        self.calendar = calendar
    }

    func validated() throws(VigilError) -> SLAPolicy {
        var validator = Validator()
        let region = validator.region(self.region)
        let line = BusinessLine(rawValue: businessLine)
        validator.check(line != nil, "businessLine", .notAllowed, "must be one of \(BusinessLine.allCases.map(\.rawValue).joined(separator: ", "))")
        let severity = Severity(rawValue: self.severity.uppercased())
        validator.check(severity != nil, "severity", .notAllowed, "must be one of S1, S2, S3, S4")
        for (field, minutes) in [("acknowledgeMinutes", acknowledgeMinutes), ("firstActionMinutes", firstActionMinutes), ("resolveMinutes", resolveMinutes)] {
            validator.check((1...525_600).contains(minutes), field, .outOfRange, "must be 1 to 525600 minutes (a year)")
        }
        validator.check(
            acknowledgeMinutes <= resolveMinutes && firstActionMinutes <= resolveMinutes, "resolveMinutes", .outOfRange,
            "must be at least the acknowledge and first-action targets")
        let warning = warningPercent ?? 80
        validator.check((1...99).contains(warning), "warningPercent", .outOfRange, "must be 1 to 99")
        let calendar = self.calendar ?? "24x7"
        validator.check(["24x7", "business"].contains(calendar), "calendar", .notAllowed, "must be 24x7 or business")
        try validator.finish()
        return SLAPolicy(
            region: region!.rawValue, businessLine: line!, severity: severity!, acknowledgeMinutes: acknowledgeMinutes,
            firstActionMinutes: firstActionMinutes, resolveMinutes: resolveMinutes, warningPercent: warning, calendar: calendar, isDefault: false)
    }
}

struct SLAPolicyStore: Sendable {
    func find(region: String, businessLine: BusinessLine, severity: Severity, on sql: any SQLDatabase) async throws -> SLAPolicy {
        let row = try await sql.raw(
            """
            SELECT \(unsafeRaw: SLAPolicy.columns) FROM incident_sla_policies
            WHERE region = \(bind: region) AND business_line = \(bind: businessLine.rawValue) AND severity = \(bind: severity.rawValue)
            """
        ).first()
        return try row.map(SLAPolicy.init(row:)) ?? .builtIn(region: region, businessLine: businessLine, severity: severity)
    }

    func list(region: String?, on sql: any SQLDatabase) async throws -> [SLAPolicy] {
        if let region {
            return try await sql.raw(
                "SELECT \(unsafeRaw: SLAPolicy.columns) FROM incident_sla_policies WHERE region = \(bind: region) ORDER BY business_line, severity"
            )
            .all().map(SLAPolicy.init(row:))
        }
        return try await sql.raw("SELECT \(unsafeRaw: SLAPolicy.columns) FROM incident_sla_policies ORDER BY region, business_line, severity LIMIT 1000")
            .all().map(SLAPolicy.init(row:))
    }

    /// Inserts or replaces; returns the previous policy, if any.
    func upsert(_ policy: SLAPolicy, at now: Date, by actor: String, on sql: any SQLDatabase) async throws -> SLAPolicy? {
        let previous = try await sql.raw(
            """
            SELECT \(unsafeRaw: SLAPolicy.columns) FROM incident_sla_policies
            WHERE region = \(bind: policy.region) AND business_line = \(bind: policy.businessLine.rawValue) AND severity = \(bind: policy.severity.rawValue)
            """
        ).first().map(SLAPolicy.init(row:))
        try await sql.insert(into: "incident_sla_policies")
            .row([
                "region": policy.region,
                "business_line": policy.businessLine,
                "severity": policy.severity,
                "acknowledge_minutes": policy.acknowledgeMinutes,
                "first_action_minutes": policy.firstActionMinutes,
                "resolve_minutes": policy.resolveMinutes,
                "warning_percent": policy.warningPercent,
                "calendar": policy.calendar,
                "updated_at": now,
                "updated_by": actor,
            ])
            .onConflict(with: ["region", "business_line", "severity"]) {
                $0.set(excludedValueOf: "acknowledge_minutes")
                    .set(excludedValueOf: "first_action_minutes")
                    .set(excludedValueOf: "resolve_minutes")
                    .set(excludedValueOf: "warning_percent")
                    .set(excludedValueOf: "calendar")
                    .set(excludedValueOf: "updated_at")
                    .set(excludedValueOf: "updated_by")
            }
            .run()
        return previous
    }
}
