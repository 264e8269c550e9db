import Calendars
import Foundation
import Kernel

/// The filters of the case list; each maps to an indexed column.
public struct CaseFilter: Sendable {
    public var region: RegionCode?
    public var status: CaseStatus?
    /// Only cases still being worked (true) or only resolved and closed ones (false).
    public var open: Bool?
    public var severity: Severity?
    public var businessLine: BusinessLine?
    public var category: String?
    public var sensitive: Bool?
    public var createdFrom: Date?
    public var createdBefore: Date?
    public var queueId: String?
    /// A user id.
    public var assignee: String?
    public var unassigned: Bool?
    /// Words to find in the reference or description.
    public var text: String?

    public init(
        region: RegionCode? = nil, status: CaseStatus? = nil, severity: Severity? = nil, businessLine: BusinessLine? = nil,
        category: String? = nil, sensitive: Bool? = nil, createdFrom: Date? = nil, createdBefore: Date? = nil
    ) {
        self.region = region
        self.status = status
        self.severity = severity
        self.businessLine = businessLine
        self.category = category
        self.sensitive = sensitive
        self.createdFrom = createdFrom
        self.createdBefore = createdBefore
    }

    /// From query or option text, with a field error for each bad value.
    public static func parse(
        region: String?, status: String?, severity: String?, businessLine: String?, category: String?,
        sensitive: String?, createdFrom: String?, createdBefore: String?, text: String? = nil, open: String? = nil
    ) throws(VigilError) -> CaseFilter {
        var validator = Validator()
        var filter = CaseFilter()
        if let region {
            filter.region = validator.region(region)
        }
        if let status {
            filter.status = CaseStatus(rawValue: status)
            validator.check(filter.status != nil, "status", .notAllowed, "must be one of \(CaseStatus.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if let open {
            validator.check(open == "true" || open == "false", "open", .type, "must be true or false")
            filter.open = open == "true"
        }
        if let severity {
            filter.severity = Severity(rawValue: severity.uppercased())
            validator.check(filter.severity != nil, "severity", .notAllowed, "must be one of S1, S2, S3, S4")
        }
        if let businessLine {
            filter.businessLine = BusinessLine(rawValue: businessLine)
            validator.check(
                filter.businessLine != nil, "businessLine", .notAllowed, "must be one of \(BusinessLine.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if let category {
            validator.check(CaseCategory.all.contains(category), "category", .notAllowed, "must be one of \(CaseCategory.all.joined(separator: ", "))")
            filter.category = category
        }
        if let sensitive {
            validator.check(sensitive == "true" || sensitive == "false", "sensitive", .type, "must be true or false")
            filter.sensitive = sensitive == "true"
        }
        if let createdFrom {
            filter.createdFrom = ISO8601.parse(createdFrom)
            validator.check(filter.createdFrom != nil, "createdFrom", .format, "must be an ISO 8601 instant")
        }
        if let createdBefore {
            filter.createdBefore = ISO8601.parse(createdBefore)
            validator.check(filter.createdBefore != nil, "createdBefore", .format, "must be an ISO 8601 instant")
        }
        if let text {
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            validator.check((2...200).contains(trimmed.count), "q", .invalid, "search with 2 to 200 characters")
            filter.text = trimmed
        }
        try validator.finish()
        return filter
    }
}
