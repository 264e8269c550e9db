import Foundation
import JSONCoding
import Kernel

/// A contact made while working a case: who, how, and how it went.
public struct ContactInput: Codable, Sendable {
    public var channel: String
    public var with: String
    public var outcome: String
    public var note: String?

    public init(channel: String, with: String, outcome: String, note: String? = nil) {
        self.channel = channel
        self.with = with
        self.outcome = outcome
        self.note = note
    }

    static let channels = ["phone", "whatsapp", "email", "in-person", "app-chat"]
    static let parties = ["reporter", "rider", "client", "merchant", "authorities", "third-party", "3pl"]
    static let outcomes = ["reached", "no-answer", "left-message", "refused"]
}

/// Metadata of a file attached to a case (the file itself lives in the document store it names).
public struct AttachmentInput: Codable, Sendable {
    public var fileName: String
    public var contentType: String
    public var sizeBytes: Int64
    public var sha256: String
    public var storageRef: String?

    public init(fileName: String, contentType: String, sizeBytes: Int64, sha256: String, storageRef: String? = nil) {
        self.fileName = fileName
        self.contentType = contentType
        self.sizeBytes = sizeBytes
        self.sha256 = sha256
        self.storageRef = storageRef
    }
}

extension CaseService {
    /// Records a contact; reaching out counts as the case's first action.
    public func recordContact(_ key: String, _ input: ContactInput, by invocation: Invocation) async throws -> TimelineEntry {
        try invocation.principal.require(IncidentOpsPermissions.caseUpdate)
        var validator = Validator()
        validator.check(
            ContactInput.channels.contains(input.channel), "channel", .notAllowed, "must be one of \(ContactInput.channels.joined(separator: ", "))")
        validator.check(ContactInput.parties.contains(input.with), "with", .notAllowed, "must be one of \(ContactInput.parties.joined(separator: ", "))")
        validator.check(
            ContactInput.outcomes.contains(input.outcome), "outcome", .notAllowed, "must be one of \(ContactInput.outcomes.joined(separator: ", "))")
        if let note = input.note { validator.check(note.count <= 2_000, "note", .tooLong, "must be at most 2000 characters") }
        try validator.finish()
        return try await appendEntry(
            key, kind: .contact, text: input.note,
            details: .object([
                "channel": .string(input.channel), "with": .string(input.with), "outcome": .string(input.outcome),
            ]), trigger: .noteAdded, action: "incident-ops.case.contact", by: invocation)
    }

    public func recordAttachment(_ key: String, _ input: AttachmentInput, by invocation: Invocation) async throws -> TimelineEntry {
        try invocation.principal.require(IncidentOpsPermissions.caseUpdate)
        var validator = Validator()
        validator.check(
            (1...255).contains(input.fileName.count) && !input.fileName.unicodeScalars.contains("/"), "fileName", .invalid,
            "must be a file name of 1 to 255 characters")
        validator.check(input.contentType.contains("/") && input.contentType.count <= 100, "contentType", .format, "must be a media type like image/jpeg")
        validator.check((0...(2 << 30)).contains(input.sizeBytes), "sizeBytes", .outOfRange, "must be 0 to 2 GiB")
        validator.check(input.sha256.count == 64 && input.sha256.allSatisfy(\.isHexDigit), "sha256", .format, "must be 64 hexadecimal digits")
        if let ref = input.storageRef { validator.check(ref.count <= 500, "storageRef", .tooLong, "must be at most 500 characters") }
        try validator.finish()
        var details: [String: JSONValue] = [
            "fileName": .string(input.fileName), "contentType": .string(input.contentType),
            "sizeBytes": .integer(input.sizeBytes), "sha256": .string(input.sha256.lowercased()),
        ]
        if let ref = input.storageRef { details["storageRef"] = .string(ref) }
        return try await appendEntry(
            key, kind: .attachment, text: nil, details: .object(details), trigger: nil, action: "incident-ops.case.attachment", by: invocation)
    }

    private func appendEntry(
        _ key: String, kind: TimelineEntry.Kind, text: String?, details: JSONValue, trigger: SLATrigger?, action: String,
        by invocation: Invocation
    ) async throws -> TimelineEntry {
        let principal = invocation.principal
        return try await context.transaction(invocation) { tx in
            guard let incident = try await store.find(key, on: tx.sql), isVisible(incident, to: principal) else { throw VigilError.notFound("case \(key)") }
            let entry = try await appendTimeline(caseID: incident.id, kind: kind, visibility: .internal, text: text, details: details, in: tx)
            if let trigger { try await sla.apply(trigger, caseID: incident.id, in: tx) }
            try await tx.audit(
                AuditEntry(
                    action: action, entity: incident.entity, region: incident.region,
                    changes: [FieldChange(field: kind.rawValue, before: nil, after: details)]))
            return entry
        }
    }
}
