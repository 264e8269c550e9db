import Foundation
import Kernel

/// /api/incident-ops/cases/{id}/…: the lifecycle and the timeline of a case.
struct CaseWorkflowEndpoints {
    let cases: CaseService

    var all: [Endpoint] { [transition, addNote, timeline] }

    var transition: Endpoint {
        Endpoint(.post, "/cases/{id}/transitions", operationID: "transitionCase", summary: "Move a case through its lifecycle (send the version read in If-Match)",
                 permission: IncidentOpsPermissions.caseUpdate, requestBody: CaseSchemas.transition,
                 responses: [ResponseDoc(200, "The case after the transition", CaseSchemas.incidentCase)], versioned: true) { request in
            let input = try request.decode(TransitionInput.self, schema: CaseSchemas.transition)
            let incident = try await cases.transition(request.path("id"), input, expectedVersion: try request.requireVersion(), by: request.invocation)
            return try .json(incident, version: incident.version)
        }
    }

    var addNote: Endpoint {
        Endpoint(.post, "/cases/{id}/notes", operationID: "addCaseNote", summary: "Add a note to a case's timeline",
                 permission: IncidentOpsPermissions.caseUpdate, requestBody: CaseSchemas.note,
                 responses: [ResponseDoc(201, "The timeline entry", CaseSchemas.timelineEntry)], idempotent: true) { request in
            let input = try request.decode(NoteInput.self, schema: CaseSchemas.note)
            return try .json(try await cases.addNote(request.path("id"), input, by: request.invocation), status: 201)
        }
    }

    var timeline: Endpoint {
        Endpoint(.get, "/cases/{id}/timeline", operationID: "caseTimeline", summary: "A case's timeline, oldest first",
                 permission: IncidentOpsPermissions.caseRead, query: [.pagingLimit, .pagingCursor],
                 responses: [ResponseDoc(200, "A page of timeline entries", CaseSchemas.timelinePage)]) { request in
            let page = try PageRequest(limit: request.query["limit"], cursor: request.query["cursor"])
            return try .json(try await cases.timeline(request.path("id"), page: page, by: request.principal))
        }
    }
}
