import Foundation
import Kernel

struct EscalationEndpoints {
    let escalations: EscalationService

    var all: [Endpoint] { [inbox, acknowledge, close] }

    static let schema: Schema = .named("Escalation", .object([
        .required("id", .uuid), .required("caseId", .uuid), .required("region", .string(.init())),
        .required("trigger", .enumeration(["severity", "category", "sla-breach", "sla-warning", "manual"])), .required("reason", .string(.init())),
        .required("level", .integer()), .required("targetRoles", .array(.string(.init()))), .required("state", .enumeration(["open", "acknowledged", "closed"])),
        .required("raisedAt", .dateTime), .required("raisedBy", .string(.init())), .required("levelSince", .dateTime), .optional("nextLevelAt", .dateTime),
        .optional("acknowledgedAt", .dateTime), .optional("acknowledgedBy", .string(.init())), .optional("closedAt", .dateTime), .optional("closedBy", .string(.init())),
    ]))

    static let closeInput: Schema = .named("CloseEscalation", .object([.optional("reason", .string(maxLength: 500))]))

    var inbox: Endpoint {
        Endpoint(.get, "/escalations", operationID: "escalationInbox", summary: "The escalation inbox: open (or acknowledged, closed) escalations, oldest first",
                 permission: IncidentOpsPermissions.caseRead,
                 query: [QueryParameter("region", .string(maxLength: 10), "Region code"), QueryParameter("state", .enumeration(["open", "acknowledged", "closed"]), "Default open")],
                 responses: [ResponseDoc(200, "Escalations", .array(Self.schema))]) { request in
            try .json(try await escalations.inbox(region: try DeskEndpoints.region(request.query["region"]),
                                                  state: request.query["state"].flatMap(Escalation.State.init(rawValue:)), by: request.principal))
        }
    }

    var acknowledge: Endpoint {
        Endpoint(.post, "/escalations/{id}/acknowledge", operationID: "acknowledgeEscalation", summary: "Acknowledge an escalation; it stops climbing",
                 permission: IncidentOpsPermissions.escalationRespond, responses: [ResponseDoc(200, "The escalation", Self.schema)]) { request in
            try .json(try await escalations.acknowledge(request.path("id"), by: request.invocation))
        }
    }

    private struct CloseInput: Decodable { let reason: String? }

    var close: Endpoint {
        Endpoint(.post, "/escalations/{id}/close", operationID: "closeEscalation", summary: "De-escalate", permission: IncidentOpsPermissions.caseAssign,
                 requestBody: Self.closeInput, responses: [ResponseDoc(200, "The escalation", Self.schema)]) { request in
            let input = try request.decode(CloseInput.self, schema: Self.closeInput)
            return try .json(try await escalations.close(request.path("id"), reason: input.reason, by: request.invocation))
        }
    }
}
