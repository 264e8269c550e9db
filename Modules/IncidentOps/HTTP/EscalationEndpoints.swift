import Foundation
import Kernel

struct EscalationEndpoints {
    let escalations: EscalationService

    var all: [Endpoint] { [inbox, acknowledge, close] }

    static let schema: Schema = .named(
        "Escalation",
        .object([
            .required("id", .uuid), .required("caseId", .uuid), .required("region", .string(.init())),
            .required("trigger", .enumeration(["severity", "category", "sla-breach", "sla-warning", "manual"])), .required("reason", .string(.init())),
            .required("level", .integer()), .required("targetRoles", .array(.string(.init()))),
            .required("state", .enumeration(["open", "acknowledged", "closed"])),
            .required("raisedAt", .dateTime), .required("raisedBy", .string(.init())), .required("levelSince", .dateTime), .optional("nextLevelAt", .dateTime),
            .optional("acknowledgedAt", .dateTime), .optional("acknowledgedBy", .string(.init())), .optional("closedAt", .dateTime),
            .optional("closedBy", .string(.init())),
        ]))

    static let closeInput: Schema = .named("CloseEscalation", .object([.optional("reason", .string(maxLength: 500))]))

    var inbox: Endpoint {
        Endpoint(
            .get, "/escalations", operationID: "escalationInbox", summary: "The escalation inbox: open (or acknowledged, closed) escalations, oldest first",
            permission: IncidentOpsPermissions.caseRead,
            query: [
                QueryParameter("region", .string(maxLength: 10), "Region code"),
                QueryParameter("state", .enumeration(["open", "acknowledged", "closed"]), "Default open"),
                QueryParameter("limit", .integer(minimum: 1, maximum: 500), "At most this many, oldest first (default 500)"),
            ],
            responses: [ResponseDoc(200, "Escalations", .array(Self.schema))]
        ) { request in
            try .json(
                try await escalations.inbox(
                    region: try DeskEndpoints.region(request.query["region"]),
                    state: request.query["state"].flatMap(Escalation.State.init(rawValue:)),
                    limit: request.query["limit"].flatMap(Int.init) ?? EscalationService.inboxLimit, by: request.principal))
        }
    }

    var acknowledge: Endpoint {
        Endpoint(
            .post, "/escalations/{id}/acknowledge", operationID: "acknowledgeEscalation", summary: "Acknowledge an escalation; it stops climbing",
            permission: IncidentOpsPermissions.escalationRespond, responses: [ResponseDoc(200, "The escalation", Self.schema)]
        ) { request in
            try .json(try await escalations.acknowledge(request.path("id"), by: request.invocation))
        }
    }

    private struct CloseInput: Decodable { let reason: String? }

    var close: Endpoint {
        Endpoint(
            .post, "/escalations/{id}/close", operationID: "closeEscalation", summary: "De-escalate", permission: IncidentOpsPermissions.caseAssign,
            requestBody: Self.closeInput, responses: [ResponseDoc(200, "The escalation", Self.schema)]
        ) { request in
            let input = try request.decode(CloseInput.self, schema: Self.closeInput)
            return try .json(try await escalations.close(request.path("id"), reason: input.reason, by: request.invocation))
        }
    }
}

/// A region's escalation rules over HTTP.
struct EscalationPolicyEndpoints {
    let policies: EscalationPolicyService

    var all: [Endpoint] { [show, set] }

    static let level: Schema = .object([
        .required("role", .enumeration(ShiftEntry.Role.allCases.map(\.rawValue))), .optional("waitMinutes", .integer(minimum: 1, maximum: 1_440)),
    ])

    static let schema: Schema = .named(
        "EscalationPolicy",
        .object([
            .required("region", .string(.init())), .optional("severityAtOrAbove", .enumeration(Severity.allCases.map(\.rawValue))),
            .required("categories", .array(.string(.init()))), .required("onBreach", .boolean), .required("onWarning", .boolean),
            .required("levels", .array(level)), .required("isDefault", .boolean),
        ]))

    static let input: Schema = .named(
        "EscalationPolicyInput",
        .object([
            .optional("severityAtOrAbove", .enumeration(Severity.allCases.map(\.rawValue)), "Cases at or above escalate at intake; absent: none by severity"),
            .required("categories", .array(.string(maxLength: 60)), "Categories that escalate at intake"),
            .required("onBreach", .boolean), .required("onWarning", .boolean),
            // Plain types here: the service checks roles and waits, and reports every problem at once.
            .required(
                "levels", .array(.object([.required("role", .string(maxLength: 20)), .optional("waitMinutes", .integer())])),
                "The chain: each level's role (analyst, specialist, coordinator) and minutes before the next (1-1440); the last has no wait"),
        ]))

    var show: Endpoint {
        Endpoint(
            .get, "/escalation-policies/{region}", operationID: "getEscalationPolicy", summary: "A region's escalation rules (built-in until set)",
            permission: IncidentOpsPermissions.caseRead, responses: [ResponseDoc(200, "The rules in force", Self.schema)]
        ) { request in
            try .json(try await policies.policy(region: try DeskEndpoints.requiredRegion(request.path("region")), by: request.principal))
        }
    }

    var set: Endpoint {
        Endpoint(
            .put, "/escalation-policies/{region}", operationID: "setEscalationPolicy", summary: "Set a region's escalation rules and chain",
            permission: IncidentOpsPermissions.deskManage, requestBody: Self.input, responses: [ResponseDoc(200, "The rules in force", Self.schema)]
        ) { request in
            let input = try request.decode(EscalationPolicyInput.self, schema: Self.input)
            return try .json(try await policies.set(region: try DeskEndpoints.requiredRegion(request.path("region")), input, by: request.invocation))
        }
    }
}
