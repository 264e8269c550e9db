import Foundation
import Kernel

/// What intake takes to open a case, from JSON or from CLI options.
public struct OpenCaseInput: Codable, Sendable {
    public var region: String
    public var businessLine: String
    public var category: String
    public var severity: String
    public var description: String
    public var location: CaseLocation?
    public var sensitive: Bool?
    public var reporterName: String?
    public var reporterContact: String?
    public var occurredAt: Date?
    public var subcategory: String?
    public var urgency: String?

    public init(
        region: String, businessLine: String, category: String, severity: String, description: String, location: CaseLocation? = nil,
        sensitive: Bool? = nil, reporterName: String? = nil, reporterContact: String? = nil, occurredAt: Date? = nil,
        subcategory: String? = nil, urgency: String? = nil
    ) {
        self.region = region
        self.businessLine = businessLine
        self.category = category
        self.severity = severity
        self.description = description
        self.location = location
        self.sensitive = sensitive
        self.reporterName = reporterName
        self.reporterContact = reporterContact
        self.occurredAt = occurredAt
        self.subcategory = subcategory
        self.urgency = urgency
    }
}

/// A correction of intake details; absent fields stay as they are.
public struct UpdateCaseInput: Codable, Sendable {
    public var businessLine: String?
    public var category: String?
    public var severity: String?
    public var description: String?
    public var location: CaseLocation?
    public var sensitive: Bool?
    public var reporterName: String?
    public var reporterContact: String?

    public init(
        businessLine: String? = nil, category: String? = nil, severity: String? = nil, description: String? = nil, location: CaseLocation? = nil,
        sensitive: Bool? = nil, reporterName: String? = nil, reporterContact: String? = nil
    ) {
        self.businessLine = businessLine
        self.category = category
        self.severity = severity
        self.description = description
        self.location = location
        self.sensitive = sensitive
        self.reporterName = reporterName
        self.reporterContact = reporterContact
    }

    var isEmpty: Bool {
        businessLine == nil && category == nil && severity == nil && description == nil && location == nil
            && sensitive == nil && reporterName == nil && reporterContact == nil
    }
}

/// A validated intake: every field parsed into its type.
struct PreparedCase {
    let region: RegionCode
    let businessLine: BusinessLine
    let category: String
    let severity: Severity
    let description: String
    let location: CaseLocation?
    let sensitive: Bool
    let reporterName: String?
    let reporterContact: String?
    let occurredAt: Date?
    let subcategory: String?
    let urgency: Urgency
}

/// The intake rules, the same for the API and the CLI; every problem is reported at once.
struct CaseRules {
    static let defaultMaxDescriptionLength = 5_000
    let maxDescriptionLength: Int

    func validate(_ input: OpenCaseInput, now: Date) throws(VigilError) -> PreparedCase {
        var validator = Validator()
        let region = validator.region(input.region)
        let businessLine = BusinessLine(rawValue: input.businessLine)
        validator.check(businessLine != nil, "businessLine", .notAllowed, "must be one of \(BusinessLine.allCases.map(\.rawValue).joined(separator: ", "))")
        validator.check(CaseCategory.all.contains(input.category), "category", .notAllowed, "must be one of \(CaseCategory.all.joined(separator: ", "))")
        let severity = Severity(rawValue: input.severity.uppercased())
        validator.check(severity != nil, "severity", .notAllowed, "must be one of S1, S2, S3, S4")
        let description = input.description.trimmingCharacters(in: .whitespacesAndNewlines)
        checkDescription(description, into: &validator)
        checkLocation(input.location, into: &validator)
        checkReporter(name: input.reporterName, contact: input.reporterContact, into: &validator)
        let urgency = input.urgency.map { Urgency(rawValue: $0) } ?? .medium
        validator.check(urgency != nil, "urgency", .notAllowed, "must be one of \(Urgency.allCases.map(\.rawValue).joined(separator: ", "))")
        if let subcategory = input.subcategory {
            validator.check(CommaList.isToken(subcategory), "subcategory", .format, "must be a short word like motorcycle-collision")
        }
        if let occurredAt = input.occurredAt {
            validator.check(occurredAt <= now.addingTimeInterval(300), "occurredAt", .outOfRange, "may not be in the future")
            validator.check(occurredAt >= now.addingTimeInterval(-366 * 86_400), "occurredAt", .outOfRange, "may be at most a year ago")
        }
        try validator.finish()
        return PreparedCase(
            region: region!, businessLine: businessLine!, category: input.category, severity: severity!, description: description,
            location: normalized(input.location), sensitive: input.sensitive ?? false,
            reporterName: trimmedOrNil(input.reporterName), reporterContact: trimmedOrNil(input.reporterContact), occurredAt: input.occurredAt,
            subcategory: input.subcategory, urgency: urgency!)
    }

    func validate(_ input: UpdateCaseInput) throws(VigilError) {
        var validator = Validator()
        validator.check(!input.isEmpty, "body", .required, "give at least one field to change")
        if let businessLine = input.businessLine {
            validator.check(
                BusinessLine(rawValue: businessLine) != nil, "businessLine", .notAllowed,
                "must be one of \(BusinessLine.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if let category = input.category {
            validator.check(CaseCategory.all.contains(category), "category", .notAllowed, "must be one of \(CaseCategory.all.joined(separator: ", "))")
        }
        if let severity = input.severity {
            validator.check(Severity(rawValue: severity.uppercased()) != nil, "severity", .notAllowed, "must be one of S1, S2, S3, S4")
        }
        if let description = input.description {
            checkDescription(description.trimmingCharacters(in: .whitespacesAndNewlines), into: &validator)
        }
        checkLocation(input.location, into: &validator)
        checkReporter(name: input.reporterName, contact: input.reporterContact, into: &validator)
        try validator.finish()
    }

    private func checkDescription(_ description: String, into validator: inout Validator) {
        validator.check(!description.isEmpty, "description", .required, "is required")
        validator.check(description.count <= maxDescriptionLength, "description", .tooLong, "must be at most \(maxDescriptionLength) characters")
    }

    private func checkLocation(_ location: CaseLocation?, into validator: inout Validator) {
        guard let location else { return }
        if let address = location.address { validator.check(address.count <= 300, "location.address", .tooLong, "must be at most 300 characters") }
        validator.check((location.latitude == nil) == (location.longitude == nil), "location", .invalid, "give both latitude and longitude, or neither")
        if let latitude = location.latitude { validator.check((-90...90).contains(latitude), "location.latitude", .outOfRange, "must be between -90 and 90") }
        if let longitude = location.longitude {
            validator.check((-180...180).contains(longitude), "location.longitude", .outOfRange, "must be between -180 and 180")
        }
        validator.check(location.address != nil || location.latitude != nil, "location", .required, "give an address or coordinates")
    }

    private func checkReporter(name: String?, contact: String?, into validator: inout Validator) {
        if let name { validator.check(name.count <= 200, "reporterName", .tooLong, "must be at most 200 characters") }
        if let contact { validator.check(contact.count <= 200, "reporterContact", .tooLong, "must be at most 200 characters") }
    }

    func normalized(_ location: CaseLocation?) -> CaseLocation? {
        guard let location else { return nil }
        return CaseLocation(address: trimmedOrNil(location.address), latitude: location.latitude, longitude: location.longitude)
    }

    func trimmedOrNil(_ text: String?) -> String? {
        guard let trimmed = text?.trimmingCharacters(in: .whitespacesAndNewlines), !trimmed.isEmpty else { return nil }
        return trimmed
    }
}
