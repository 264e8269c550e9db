import Foundation
import Kernel

/// /api/incident-ops/cases/{id}/…: the lifecycle and the timeline of a case.
struct CaseWorkflowEndpoints {
    let cases: CaseService

    var all: [Endpoint] { [transition, addNote, timeline, addLink, links, merge, contact, attachment] }

    static let contactInput: Schema = .named(
        "CaseContact",
        .object([
            .required("channel", .enumeration(ContactInput.channels)), .required("with", .enumeration(ContactInput.parties)),
            .required("outcome", .enumeration(ContactInput.outcomes)), .optional("note", .string(maxLength: 2_000)),
        ]))
    static let attachmentInput: Schema = .named(
        "CaseAttachment",
        .object([
            .required("fileName", .string(maxLength: 255, minLength: 1)), .required("contentType", .string(maxLength: 100)),
            .required("sizeBytes", .integer(minimum: 0)), .required("sha256", .string(.init(minLength: 64, maxLength: 64))),
            .optional("storageRef", .string(maxLength: 500), "Where the file is kept (document store key or URL)"),
        ]))

    var contact: Endpoint {
        Endpoint(
            .post, "/cases/{id}/contacts", operationID: "recordCaseContact", summary: "Record a contact made (counts as first action)",
            permission: IncidentOpsPermissions.caseUpdate, requestBody: Self.contactInput,
            responses: [ResponseDoc(201, "The timeline entry", CaseSchemas.timelineEntry)], idempotent: true
        ) { request in
            let input = try request.decode(ContactInput.self, schema: Self.contactInput)
            return try .json(try await cases.recordContact(request.path("id"), input, by: request.invocation), status: 201)
        }
    }

    var attachment: Endpoint {
        Endpoint(
            .post, "/cases/{id}/attachments", operationID: "recordCaseAttachment", summary: "Record an attachment's metadata",
            permission: IncidentOpsPermissions.caseUpdate, requestBody: Self.attachmentInput,
            responses: [ResponseDoc(201, "The timeline entry", CaseSchemas.timelineEntry)], idempotent: true
        ) { request in
            let input = try request.decode(AttachmentInput.self, schema: Self.attachmentInput)
            return try .json(try await cases.recordAttachment(request.path("id"), input, by: request.invocation), status: 201)
        }
    }

    static let link: Schema = .named(
        "CaseLink",
        .object([
            .required("kind", .enumeration(CaseLinkKind.allCases.map(\.rawValue))), .required("caseId", .uuid), .required("reference", .string(.init())),
            .required("status", .enumeration(CaseStatus.allCases.map(\.rawValue))),
        ]))
    static let linkInput: Schema = .named(
        "LinkCase",
        .object([
            .required("kind", .enumeration(CaseLinkKind.allCases.map(\.rawValue))),
            .required("case", .string(maxLength: 64, minLength: 1), "Id or reference of the other case"),
        ]))
    static let mergeInput: Schema = .named("MergeCase", .object([.required("into", .string(maxLength: 64, minLength: 1), "The case this one duplicates")]))

    private struct LinkInput: Decodable { let kind: String; let `case`: String }
    private struct MergeInput: Decodable { let into: String }

    var addLink: Endpoint {
        Endpoint(
            .post, "/cases/{id}/links", operationID: "linkCase", summary: "Link a case to another (duplicate of, related, parent of, child of)",
            permission: IncidentOpsPermissions.caseUpdate, requestBody: Self.linkInput, responses: [ResponseDoc(201, "The case's links", .array(Self.link))]
        ) { request in
            let input = try request.decode(LinkInput.self, schema: Self.linkInput)
            return try .json(try await cases.link(request.path("id"), kind: input.kind, to: input.case, by: request.invocation), status: 201)
        }
    }

    var links: Endpoint {
        Endpoint(
            .get, "/cases/{id}/links", operationID: "caseLinks", summary: "A case's links", permission: IncidentOpsPermissions.caseRead,
            responses: [ResponseDoc(200, "Links", .array(Self.link))]
        ) { request in
            try .json(try await cases.links(request.path("id"), by: request.principal))
        }
    }

    var merge: Endpoint {
        Endpoint(
            .post, "/cases/{id}/merge", operationID: "mergeCase", summary: "Merge a duplicate into the case it duplicates (both timelines are kept)",
            permission: IncidentOpsPermissions.caseUpdate, requestBody: Self.mergeInput,
            responses: [ResponseDoc(200, "The closed duplicate", CaseSchemas.incidentCase)]
        ) { request in
            let input = try request.decode(MergeInput.self, schema: Self.mergeInput)
            let incident = try await cases.merge(request.path("id"), into: input.into, by: request.invocation)
            return try .json(incident, version: incident.version)
        }
    }

    var transition: Endpoint {
        Endpoint(
            .post, "/cases/{id}/transitions", operationID: "transitionCase", summary: "Move a case through its lifecycle (send the version read in If-Match)",
            permission: IncidentOpsPermissions.caseUpdate, requestBody: CaseSchemas.transition,
            responses: [ResponseDoc(200, "The case after the transition", CaseSchemas.incidentCase)], versioned: true
        ) { request in
            let input = try request.decode(TransitionInput.self, schema: CaseSchemas.transition)
            let incident = try await cases.transition(request.path("id"), input, expectedVersion: try request.requireVersion(), by: request.invocation)
            return try .json(incident, version: incident.version)
        }
    }

    var addNote: Endpoint {
        Endpoint(
            .post, "/cases/{id}/notes", operationID: "addCaseNote", summary: "Add a note to a case's timeline",
            permission: IncidentOpsPermissions.caseUpdate, requestBody: CaseSchemas.note,
            responses: [ResponseDoc(201, "The timeline entry", CaseSchemas.timelineEntry)], idempotent: true
        ) { request in
            let input = try request.decode(NoteInput.self, schema: CaseSchemas.note)
            return try .json(try await cases.addNote(request.path("id"), input, by: request.invocation), status: 201)
        }
    }

    var timeline: Endpoint {
        Endpoint(
            .get, "/cases/{id}/timeline", operationID: "caseTimeline", summary: "A case's timeline, oldest first",
            permission: IncidentOpsPermissions.caseRead,
            query: [.pagingLimit, .pagingCursor, QueryParameter("includeMerged", .boolean, "Also the entries of duplicates merged into this case (one page)")],
            responses: [ResponseDoc(200, "A page of timeline entries", CaseSchemas.timelinePage)]
        ) { request in
            if request.query["includeMerged"] == "true" {
                return try .json(Page(items: try await cases.mergedTimeline(request.path("id"), by: request.principal), nextCursor: nil))
            }
            let page = try PageRequest(limit: request.query["limit"], cursor: request.query["cursor"])
            return try .json(try await cases.timeline(request.path("id"), page: page, by: request.principal))
        }
    }
}
