import Foundation
import Kernel
import WorkAssignment

/// Assignment groups, agents and SLA targets of the IT desk.
struct GroupEndpoints {
    let groups: GroupService
    let targets: SLATargetService

    var all: [Endpoint] { [createGroup, listGroups, setAgent, listAgents, listTargets, setTarget] }

    static let group: Schema = .named(
        "AssignmentGroup",
        .object([
            .required("id", .uuid), .required("region", .string(.init())), .required("name", .string(.init())),
            .required("categories", .array(.string(.init()))),
            .required("strategy", .enumeration(AssignmentStrategy.allCases.map(\.rawValue))), .optional("requiredSkill", .string(.init())),
            .required("members", .array(.string(.init()))), .required("version", .integer()),
        ]))
    static let groupInput: Schema = .named(
        "GroupInput",
        .object([
            .required("region", .string(maxLength: 10)), .required("name", .string(maxLength: 80)),
            .required("categories", .array(.string(maxLength: 40)), "Ticket categories it takes; empty: whatever no other group takes"),
            .required("strategy", .enumeration(AssignmentStrategy.allCases.map(\.rawValue))), .optional("requiredSkill", .string(maxLength: 40)),
        ]))
    static let agent: Schema = .named(
        "ITAgent",
        .object([
            .required("userId", .string(.init())), .required("name", .string(.init())), .required("actor", .string(.init())),
            .required("region", .string(.init())),
            .required("skills", .array(.string(.init()))), .required("capacity", .integer()), .required("activeTickets", .integer()),
            .required("available", .boolean),
            .optional("lastAssignedAt", .dateTime),
        ]))
    static let agentInput: Schema = .named(
        "AgentInput",
        .object([
            .required("email", .string(.init(format: "email"))), .required("region", .string(maxLength: 10)),
            .required("skills", .array(.string(maxLength: 40))),
            .required("capacity", .integer(minimum: 1, maximum: 200)), .optional("available", .boolean), .required("groups", .array(.string(maxLength: 80))),
        ]))
    static let target: Schema = .named(
        "SLATarget",
        .object([
            .required("type", .enumeration(TicketType.allCases.map(\.rawValue))), .required("priority", .enumeration(TicketRules.priorities)),
            .required("ownMinutes", .integer()), .required("resolveMinutes", .integer()), .required("isDefault", .boolean),
        ]))
    static let targetInput: Schema = .named("SLATargetInput", .object([.required("ownMinutes", .integer()), .required("resolveMinutes", .integer())]))

    var createGroup: Endpoint {
        Endpoint(
            .post, "/groups", operationID: "createGroup", summary: "Add an assignment group", permission: ITServiceDeskPermissions.deskManage,
            requestBody: Self.groupInput, responses: [ResponseDoc(201, "The group", Self.group)], idempotent: true
        ) { request in
            let input = try request.decode(GroupInput.self, schema: Self.groupInput)
            let group = try await groups.createGroup(input, by: request.invocation)
            return try .json(group, status: 201, version: group.version)
        }
    }

    var listGroups: Endpoint {
        Endpoint(
            .get, "/groups", operationID: "listGroups", summary: "Assignment groups", permission: ITServiceDeskPermissions.ticketRead,
            query: [QueryParameter("region", .string(maxLength: 10), "Region code")], responses: [ResponseDoc(200, "Groups", .array(Self.group))]
        ) { request in
            try .json(try await groups.groups(region: try ITEndpoints.region(request.query["region"]), by: request.principal))
        }
    }

    var setAgent: Endpoint {
        Endpoint(
            .put, "/agents", operationID: "setAgent", summary: "Register an agent or change their skills, capacity, availability and groups",
            permission: ITServiceDeskPermissions.deskManage, requestBody: Self.agentInput, responses: [ResponseDoc(200, "The agent", Self.agent)]
        ) { request in
            let input = try request.decode(AgentInput.self, schema: Self.agentInput)
            return try .json(try await groups.setAgent(input, by: request.invocation))
        }
    }

    var listAgents: Endpoint {
        Endpoint(
            .get, "/agents", operationID: "listAgents", summary: "IT agents with their load", permission: ITServiceDeskPermissions.ticketRead,
            query: [QueryParameter("region", .string(maxLength: 10), "Region code")], responses: [ResponseDoc(200, "Agents", .array(Self.agent))]
        ) { request in
            try .json(try await groups.agents(region: try ITEndpoints.region(request.query["region"]), by: request.principal))
        }
    }

    var listTargets: Endpoint {
        Endpoint(
            .get, "/sla-targets", operationID: "listSLATargets", summary: "Business minutes to own and resolve, per type and priority",
            permission: ITServiceDeskPermissions.ticketRead, responses: [ResponseDoc(200, "Targets", .array(Self.target))]
        ) { request in
            try .json(try await targets.targets(by: request.principal))
        }
    }

    private struct TargetInput: Decodable { let ownMinutes: Int; let resolveMinutes: Int }

    var setTarget: Endpoint {
        Endpoint(
            .put, "/sla-targets/{type}/{priority}", operationID: "setSLATarget", summary: "Set the targets of a type and priority (new tickets)",
            permission: ITServiceDeskPermissions.deskManage, requestBody: Self.targetInput, responses: [ResponseDoc(200, "The target", Self.target)]
        ) { request in
            let input = try request.decode(TargetInput.self, schema: Self.targetInput)
            return try .json(
                try await targets.set(
                    type: request.path("type"), priority: request.path("priority"), ownMinutes: input.ownMinutes,
                    resolveMinutes: input.resolveMinutes, by: request.invocation))
        }
    }
}
