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
}

extension IncidentCase: StoredRow {
    public init(_ row: RowReader) throws {
        id = try row["id"]
        reference = try row["reference"]
        region = try row["region"]
        businessLine = try row["business_line"]
        category = try row["category"]
        severity = try row["severity"]
        status = try row["status"]
        description = try row["description"]
        let address: String? = try row["location_address"]
        let latitude: Double? = try row["latitude"]
        let longitude: Double? = try row["longitude"]
        location = address == nil && latitude == nil ? nil : CaseLocation(address: address, latitude: latitude, longitude: longitude)
        sensitive = try row["sensitive"]
        reporterName = try row["reporter_name"]
        reporterContact = try row["reporter_contact"]
        occurredAt = try row["occurred_at"]
        createdAt = try row["created_at"]
        createdBy = try row["created_by"]
        updatedAt = try row["updated_at"]
        version = try row["version"]
        waitingOn = try row["waiting_on"]
        resolutionCode = try row["resolution_code"]
        resolvedAt = try row["resolved_at"]
        closedAt = try row["closed_at"]
        reopenCount = try row["reopen_count"]
        queueId = try row["queue_id"]
        assignee = try row["assignee"]
        assignedAt = try row["assigned_at"]
        sopId = try row["sop_id"]
        subcategory = try row["subcategory"]
        urgency = try row["urgency"]
        priority = try row["priority"]
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
