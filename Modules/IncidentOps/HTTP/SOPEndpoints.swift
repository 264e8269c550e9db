import Foundation
import Kernel

struct SOPEndpoints {
    let sops: SOPService
    let cases: CaseService

    var all: [Endpoint] { [publish, list, checklist, complete, waive] }

    static let step: Schema = .named(
        "SOPStep",
        .object([
            .required("key", .string(maxLength: 40)), .required("title", .string(maxLength: 200, minLength: 1)), .required("mandatory", .boolean),
            .required("deadlineMinutes", .integer(minimum: 1, maximum: 43_200), "From the case's creation"),
            .optional("minimumSeverity", .enumeration(Severity.allCases.map(\.rawValue)), "Only for cases at or above this severity"),
        ]))
    static let sop: Schema = .named(
        "SOP",
        .object([
            .required("id", .uuid), .required("category", .string(.init())), .required("version", .integer()), .required("title", .string(.init())),
            .required("steps", .array(step)), .required("publishedAt", .dateTime), .required("publishedBy", .string(.init())),
        ]))
    static let input: Schema = .named(
        "SOPInput",
        .object([
            .required("category", .enumeration(CaseCategory.all)), .required("title", .string(maxLength: 200, minLength: 1)),
            .required("steps", .array(step, maxItems: 50)),
        ]))
    static let caseStep: Schema = .named(
        "CaseStep",
        .object([
            .required("key", .string(.init())), .required("title", .string(.init())), .required("mandatory", .boolean), .required("dueAt", .dateTime),
            .optional("doneAt", .dateTime), .optional("doneBy", .string(.init())), .optional("waivedAt", .dateTime), .optional("waivedBy", .string(.init())),
            .optional("waiverReason", .string(.init())),
        ]))
    static let waiver: Schema = .named("StepWaiver", .object([.required("reason", .string(maxLength: 1_000, minLength: 5))]))

    var publish: Endpoint {
        Endpoint(
            .post, "/sops", operationID: "publishSOP", summary: "Publish a new version of a category's runbook (cases opened afterwards follow it)",
            permission: IncidentOpsPermissions.deskManage, requestBody: Self.input, responses: [ResponseDoc(201, "The new version", Self.sop)], idempotent: true
        ) { request in
            let input = try request.decode(SOPInput.self, schema: Self.input)
            return try .json(try await sops.publish(input, by: request.invocation), status: 201)
        }
    }

    var list: Endpoint {
        Endpoint(
            .get, "/sops", operationID: "listSOPs", summary: "Runbooks, newest version first", permission: IncidentOpsPermissions.caseRead,
            query: [QueryParameter("category", .enumeration(CaseCategory.all), "One category")], responses: [ResponseDoc(200, "Runbooks", .array(Self.sop))]
        ) { request in
            try .json(try await sops.list(category: request.query["category"], by: request.principal))
        }
    }

    var checklist: Endpoint {
        Endpoint(
            .get, "/cases/{id}/checklist", operationID: "caseChecklist", summary: "A case's SOP checklist", permission: IncidentOpsPermissions.caseRead,
            responses: [ResponseDoc(200, "Steps", .array(Self.caseStep))]
        ) { request in
            try .json(try await cases.checklist(request.path("id"), by: request.principal))
        }
    }

    var complete: Endpoint {
        Endpoint(
            .post, "/cases/{id}/checklist/{step}/done", operationID: "completeCaseStep", summary: "Mark a checklist step done",
            permission: IncidentOpsPermissions.caseUpdate, responses: [ResponseDoc(200, "Steps", .array(Self.caseStep))]
        ) { request in
            try .json(try await cases.completeStep(request.path("id"), step: request.path("step"), by: request.invocation))
        }
    }

    private struct Waiver: Decodable { let reason: String }

    var waive: Endpoint {
        Endpoint(
            .post, "/cases/{id}/checklist/{step}/waive", operationID: "waiveCaseStep", summary: "Waive a checklist step (coordinators; audited, with a reason)",
            permission: IncidentOpsPermissions.caseAssign, requestBody: Self.waiver, responses: [ResponseDoc(200, "Steps", .array(Self.caseStep))]
        ) { request in
            let input = try request.decode(Waiver.self, schema: Self.waiver)
            return try .json(try await cases.waiveStep(request.path("id"), step: request.path("step"), reason: input.reason, by: request.invocation))
        }
    }
}
