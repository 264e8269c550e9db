import Foundation
import Kernel
import Monetary

/// IT requirements and their response plans.
struct RequirementEndpoints {
    let requirements: RequirementService

    var all: [Endpoint] { [create, list, show, triage, addTask, updateTask] }

    static let task: Schema = .object([
        .required("id", .uuid), .required("title", .string(.init())), .required("owner", .string(.init())), .required("dueDate", .date),
        .required("status", .enumeration(TaskStatus.allCases.map(\.rawValue))), .required("progress", .integer()), .required("dependsOn", .array(.uuid)),
        .optional("budgetLineId", .uuid), .required("version", .integer()),
    ])
    static let schema: Schema = .named(
        "Requirement",
        .object([
            .required("id", .uuid), .required("reference", .string(.init())), .required("requester", .string(.init())), .required("title", .string(.init())),
            .required("businessNeed", .string(.init())), .required("site", .string(.init())), .required("region", .string(.init())),
            .optional("desiredDate", .date),
            .required("priority", .enumeration(RequirementService.priorities)), .required("estimatedCost", .integer()), .required("currency", .string(.init())),
            .required("status", .enumeration(RequirementStatus.allCases.map(\.rawValue))), .optional("decisionReason", .string(.init())),
            .optional("decidedBy", .string(.init())),
            .required("tasks", .array(task)), .required("progress", .integer()), .required("version", .integer()),
        ]))
    static let input: Schema = .named(
        "RequirementInput",
        .object([
            .required("title", .string(maxLength: 200)), .required("businessNeed", .string(maxLength: 10_000)), .required("site", .string(maxLength: 20)),
            .optional("desiredDate", .date), .required("priority", .enumeration(RequirementService.priorities)),
            .required("estimatedCost", .money(), "Minor units"),
            .required("currency", .string(maxLength: 3)),
        ]))

    var create: Endpoint {
        Endpoint(
            .post, "/requirements", operationID: "createRequirement", summary: "Raise an IT requirement", permission: ITServiceDeskPermissions.ticketRaise,
            requestBody: Self.input, responses: [ResponseDoc(201, "The requirement", Self.schema)], idempotent: true
        ) { request in
            let input = try request.decode(RequirementInput.self, schema: Self.input)
            let requirement = try await requirements.create(input, by: request.invocation)
            return try .json(requirement, status: 201, version: requirement.version, location: "/api/it-service-desk/requirements/\(requirement.reference)")
        }
    }

    var list: Endpoint {
        Endpoint(
            .get, "/requirements", operationID: "listRequirements", summary: "Requirements, newest first", permission: ITServiceDeskPermissions.ticketRead,
            query: [QueryParameter("status", .enumeration(RequirementStatus.allCases.map(\.rawValue)), "Status")],
            responses: [ResponseDoc(200, "Requirements", .array(Self.schema))]
        ) { request in
            try .json(try await requirements.list(status: request.query["status"].flatMap(RequirementStatus.init(rawValue:)), by: request.principal))
        }
    }

    var show: Endpoint {
        Endpoint(
            .get, "/requirements/{id}", operationID: "getRequirement", summary: "A requirement with its plan", permission: nil,
            responses: [ResponseDoc(200, "The requirement", Self.schema)]
        ) { request in
            let requirement = try await requirements.get(request.path("id"), by: request.principal)
            return try .json(requirement, version: requirement.version)
        }
    }

    private struct TriageInput: Decodable { let decision: String; let reason: String? }
    static let triageInput: Schema = .named(
        "RequirementTriage",
        .object([
            .required("decision", .enumeration(["accepted", "deferred", "rejected"])),
            .optional("reason", .string(maxLength: 2_000), "Required to defer or reject"),
        ]))

    var triage: Endpoint {
        Endpoint(
            .post, "/requirements/{id}/triage", operationID: "triageRequirement", summary: "Accept, defer or reject a requirement",
            permission: ITServiceDeskPermissions.deskManage, requestBody: Self.triageInput, responses: [ResponseDoc(200, "The requirement", Self.schema)],
            versioned: true
        ) { request in
            let input = try request.decode(TriageInput.self, schema: Self.triageInput)
            let requirement = try await requirements.triage(
                request.path("id"), to: RequirementStatus(rawValue: input.decision)!, reason: input.reason,
                expectedVersion: try request.requireVersion(), by: request.invocation)
            return try .json(requirement, version: requirement.version)
        }
    }

    static let taskInput: Schema = .named(
        "PlanTaskInput",
        .object([
            .required("title", .string(maxLength: 200)), .required("owner", .string(maxLength: 200)), .required("dueDate", .date),
            .optional("dependsOn", .array(.uuid, maxItems: 50)), .optional("budgetLineId", .uuid, "The budget line that pays for it"),
        ]))

    var addTask: Endpoint {
        Endpoint(
            .post, "/requirements/{id}/tasks", operationID: "addPlanTask", summary: "Add a task to an accepted requirement's response plan",
            permission: ITServiceDeskPermissions.ticketWork, requestBody: Self.taskInput, responses: [ResponseDoc(200, "The requirement", Self.schema)]
        ) { request in
            let input = try request.decode(PlanTaskInput.self, schema: Self.taskInput)
            return try .json(try await requirements.addTask(request.path("id"), input, by: request.invocation))
        }
    }

    private struct TaskUpdate: Decodable { let status: String?; let progress: Int? }
    static let taskUpdate: Schema = .named(
        "PlanTaskUpdate",
        .object([
            .optional("status", .enumeration(TaskStatus.allCases.map(\.rawValue))), .optional("progress", .integer(minimum: 0, maximum: 100)),
        ]))

    var updateTask: Endpoint {
        Endpoint(
            .patch, "/requirements/{id}/tasks/{task}", operationID: "updatePlanTask", summary: "Move a task or set its progress (dependencies first)",
            permission: ITServiceDeskPermissions.ticketWork, requestBody: Self.taskUpdate, responses: [ResponseDoc(200, "The requirement", Self.schema)],
            versioned: true
        ) { request in
            let input = try request.decode(TaskUpdate.self, schema: Self.taskUpdate)
            return try .json(
                try await requirements.updateTask(
                    request.path("id"), task: request.path("task"), status: input.status.flatMap(TaskStatus.init(rawValue:)),
                    progress: input.progress, expectedVersion: try request.requireVersion(), by: request.invocation))
        }
    }
}
