import Foundation
import JSONCoding
import Kernel
import SQLKit

/// An incident case as the API and the CLI show it.
public struct IncidentCase: Codable, Sendable, Hashable {
    public internal(set) var id: String
    public internal(set) var reference: String
    public internal(set) var region: RegionCode
    public internal(set) var businessLine: BusinessLine
    public internal(set) var category: String
    public internal(set) var severity: Severity
    public internal(set) var status: CaseStatus
    public internal(set) var description: String
    public internal(set) var location: CaseLocation?
    public internal(set) var sensitive: Bool
    public internal(set) var reporterName: String?
    public internal(set) var reporterContact: String?
    public internal(set) var occurredAt: Date?
    public internal(set) var createdAt: Date
    public internal(set) var createdBy: String
    public internal(set) var updatedAt: Date
    public internal(set) var version: Int
    /// Whom the case waits on while `waiting` (the SLA clocks pause meanwhile).
    public internal(set) var waitingOn: WaitingOn?
    public internal(set) var resolutionCode: ResolutionCode?
    public internal(set) var resolvedAt: Date?
    public internal(set) var closedAt: Date?
    public internal(set) var reopenCount: Int = 0
    public internal(set) var queueId: String?
    /// The user id of the analyst working the case.
    public internal(set) var assignee: String?
    public internal(set) var assignedAt: Date?
    /// The SOP version the case follows (the one in force when it was opened).
    public internal(set) var sopId: String?
    public internal(set) var subcategory: String?
    public internal(set) var urgency: Urgency = .medium
    /// From the severity × urgency matrix.
    public internal(set) var priority: Priority = .p3

    public var entity: EntityRef { EntityRef("incident-ops.case", id) }

    /// What the audit log records of a case: its fields, without bookkeeping columns.
    var auditView: AuditView {
        AuditView(
            region: region.rawValue, businessLine: businessLine.rawValue, category: category, severity: severity.rawValue,
            status: status.rawValue, description: description, location: location, sensitive: sensitive,
            reporterName: reporterName, reporterContact: reporterContact, occurredAt: occurredAt,
            waitingOn: waitingOn?.rawValue, resolutionCode: resolutionCode?.rawValue, reopenCount: reopenCount,
            queueId: queueId, assignee: assignee, subcategory: subcategory, urgency: urgency.rawValue, priority: priority.rawValue)
    }

    struct AuditView: Encodable {
        let region: String
        let businessLine: String
        let category: String
        let severity: String
        let status: String
        let description: String
        let location: CaseLocation?
        let sensitive: Bool
        let reporterName: String?
        let reporterContact: String?
        let occurredAt: Date?
        let waitingOn: String?
        let resolutionCode: String?
        let reopenCount: Int
        let queueId: String?
        let assignee: String?
        let subcategory: String?
        let urgency: String
        let priority: String
    }

    static let columns = """
        id, reference, region, business_line, category, severity, status, description, location_address, latitude, longitude, \
        sensitive, reporter_name, reporter_contact, occurred_at, created_at, created_by, updated_at, version, \
        waiting_on, resolution_code, resolved_at, closed_at, reopen_count, queue_id, assignee, assigned_at, sop_id, subcategory, urgency, priority
        """

    init(row: any SQLRow) throws {
        id = try row.decode(column: "id", as: String.self)
        reference = try row.decode(column: "reference", as: String.self)
        let region = RegionCode(stored: try row.decode(column: "region", as: String.self))
        guard let businessLine = BusinessLine(rawValue: try row.decode(column: "business_line", as: String.self)),
            let severity = Severity(rawValue: try row.decode(column: "severity", as: String.self)),
            let status = CaseStatus(rawValue: try row.decode(column: "status", as: String.self))
        else {
            throw VigilError(.internal, "case \(id) holds a value this build does not know")
        }
        self.region = region
        self.businessLine = businessLine
        self.severity = severity
        self.status = status
        category = try row.decode(column: "category", as: String.self)
        description = try row.decode(column: "description", as: String.self)
        let address = try row.optional("location_address", as: String.self)
        let latitude = try row.optional("latitude", as: Double.self)
        let longitude = try row.optional("longitude", as: Double.self)
        location = address == nil && latitude == nil ? nil : CaseLocation(address: address, latitude: latitude, longitude: longitude)
        sensitive = try row.decode(column: "sensitive", as: Bool.self)
        reporterName = try row.optional("reporter_name", as: String.self)
        reporterContact = try row.optional("reporter_contact", as: String.self)
        occurredAt = try row.optional("occurred_at", as: Int64.self).map(Date.init(epochMicros:))
        createdAt = Date(epochMicros: try row.decode(column: "created_at", as: Int64.self))
        createdBy = try row.decode(column: "created_by", as: String.self)
        updatedAt = Date(epochMicros: try row.decode(column: "updated_at", as: Int64.self))
        version = try row.decode(column: "version", as: Int.self)
        waitingOn = try row.optional("waiting_on", as: String.self).flatMap(WaitingOn.init(rawValue:))
        resolutionCode = try row.optional("resolution_code", as: String.self).flatMap(ResolutionCode.init(rawValue:))
        resolvedAt = try row.optional("resolved_at", as: Int64.self).map(Date.init(epochMicros:))
        closedAt = try row.optional("closed_at", as: Int64.self).map(Date.init(epochMicros:))
        reopenCount = try row.decode(column: "reopen_count", as: Int.self)
        queueId = try row.optional("queue_id", as: String.self)
        assignee = try row.optional("assignee", as: String.self)
        assignedAt = try row.optional("assigned_at", as: Int64.self).map(Date.init(epochMicros:))
        sopId = try row.optional("sop_id", as: String.self)
        subcategory = try row.optional("subcategory", as: String.self)
        urgency = try row.decode("urgency", as: Urgency.self)
        priority = try row.decode("priority", as: Priority.self)
    }
}

extension IncidentCase: JSONWritable {
    /// The Codable form written by hand: lists write fifty of these per request.
    public func writeJSON(to buffer: inout JSONBuffer) {
        buffer.beginObject()
        buffer.key("id"); buffer.string(id)
        buffer.key("reference"); buffer.string(reference)
        buffer.key("region"); buffer.string(region.rawValue)
        buffer.key("businessLine"); buffer.string(businessLine.rawValue)
        buffer.key("category"); buffer.string(category)
        buffer.key("severity"); buffer.string(severity.rawValue)
        buffer.key("status"); buffer.string(status.rawValue)
        buffer.key("description"); buffer.string(description)
        if let location {
            buffer.key("location")
            buffer.beginObject()
            buffer.string("address", location.address)
            buffer.number("latitude", location.latitude)
            buffer.number("longitude", location.longitude)
            buffer.endObject()
        }
        buffer.key("sensitive"); buffer.bool(sensitive)
        buffer.string("reporterName", reporterName)
        buffer.string("reporterContact", reporterContact)
        buffer.date("occurredAt", occurredAt)
        buffer.key("createdAt"); buffer.date(createdAt)
        buffer.key("createdBy"); buffer.string(createdBy)
        buffer.key("updatedAt"); buffer.date(updatedAt)
        buffer.key("version"); buffer.integer(version)
        buffer.string("waitingOn", waitingOn?.rawValue)
        buffer.string("resolutionCode", resolutionCode?.rawValue)
        buffer.date("resolvedAt", resolvedAt)
        buffer.date("closedAt", closedAt)
        buffer.key("reopenCount"); buffer.integer(reopenCount)
        buffer.string("queueId", queueId)
        buffer.string("assignee", assignee)
        buffer.date("assignedAt", assignedAt)
        buffer.string("sopId", sopId)
        buffer.string("subcategory", subcategory)
        buffer.key("urgency"); buffer.string(urgency.rawValue)
        buffer.key("priority"); buffer.string(priority.rawValue)
        buffer.endObject()
    }
}

/// Where it happened: an address as told, and coordinates when known.
public struct CaseLocation: Codable, Sendable, Hashable {
    public let address: String?
    public let latitude: Double?
    public let longitude: Double?

    public init(address: String?, latitude: Double?, longitude: Double?) {
        self.address = address
        self.latitude = latitude
        self.longitude = longitude
    }
}
