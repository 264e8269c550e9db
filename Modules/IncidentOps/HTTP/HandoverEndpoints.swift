import Foundation
import Kernel

struct HandoverEndpoints {
    let handovers: HandoverService

    var all: [Endpoint] { [generate, list, show, acknowledge] }

    static let line: Schema = .named(
        "HandoverCaseLine",
        .object([
            .required("reference", .string(.init())), .required("severity", .string(.init())), .required("status", .string(.init())),
            .required("category", .string(.init())), .required("openedAt", .dateTime), .optional("detail", .string(.init())),
        ]))

    static let schema: Schema = .named(
        "Handover",
        .object([
            .required("id", .uuid), .required("region", .string(.init())), .required("shiftEndsAt", .dateTime), .required("generatedAt", .dateTime),
            .required("generatedBy", .string(.init())), .optional("notes", .string(.init())),
            .required(
                "snapshot",
                .object([
                    .required("region", .string(.init())), .required("periodStart", .dateTime), .required("periodEnd", .dateTime),
                    .required("openByStatus", .freeObject), .required("openByAge", .freeObject), .required("breached", .array(line)),
                    .required("atRisk", .array(line)),
                    .required("escalationsOpen", .array(line)), .optional("sensitiveOpen", .integer(), "Absent for readers without sensitive access"),
                    .required("unassigned", .array(line)),
                    .required("unassignedCount", .integer()), .required("notable", .array(line)),
                ])),
            .optional("acknowledgedAt", .dateTime), .optional("acknowledgedBy", .string(.init())), .required("overdue", .boolean),
        ]))

    static let input: Schema = .named(
        "GenerateHandover",
        .object([
            .required("region", .string(maxLength: 10)), .optional("shiftEndsAt", .dateTime, "Default now"), .optional("notes", .string(maxLength: 20_000)),
        ]))

    private struct Input: Decodable { let region: String; let shiftEndsAt: Date?; let notes: String? }

    var generate: Endpoint {
        Endpoint(
            .post, "/handovers", operationID: "generateHandover",
            summary: "Generate the handover of a shift from live data, with the outgoing coordinator's notes",
            permission: IncidentOpsPermissions.handoverWrite, requestBody: Self.input, responses: [ResponseDoc(201, "The handover", Self.schema)],
            idempotent: true
        ) { request in
            let input = try request.decode(Input.self, schema: Self.input)
            let region = try RegionCode.parse(input.region)
            return try .json(
                try await handovers.generate(region: region, shiftEndsAt: input.shiftEndsAt, notes: input.notes, by: request.invocation), status: 201)
        }
    }

    var list: Endpoint {
        Endpoint(
            .get, "/handovers", operationID: "listHandovers", summary: "Recent handovers of a region; overdue ones are flagged",
            permission: IncidentOpsPermissions.handoverRead,
            query: [
                QueryParameter("region", .string(maxLength: 10), "Region code (required)"),
                QueryParameter("limit", .integer(minimum: 1, maximum: 20), "At most this many, newest shift first (default 20)"),
            ], responses: [ResponseDoc(200, "Handovers", .array(Self.schema))]
        ) { request in
            guard let region = try DeskEndpoints.region(request.query["region"]) else { throw VigilError.invalid("region", .required, "is required") }
            let limit = request.query["limit"].flatMap(Int.init) ?? HandoverService.listLimit
            return try .json(try await handovers.list(region: region, limit: limit, by: request.principal))
        }
    }

    var show: Endpoint {
        Endpoint(
            .get, "/handovers/{id}", operationID: "getHandover", summary: "A handover as JSON, Markdown or HTML",
            permission: IncidentOpsPermissions.handoverRead,
            query: [QueryParameter("format", .enumeration(["json", "markdown", "html"]), "Default json")],
            responses: [ResponseDoc(200, "The handover", Self.schema)]
        ) { request in
            let handover = try await handovers.get(request.path("id"), by: request.principal)
            switch request.query["format"] ?? "json" {
            case "markdown":
                return EndpointResponse(status: 200, body: Data(HandoverRenderer.markdown(handover).utf8), contentType: "text/markdown; charset=utf-8")
            case "html": return EndpointResponse(status: 200, body: Data(HandoverRenderer.html(handover).utf8), contentType: "text/html; charset=utf-8")
            default: return try .json(handover)
            }
        }
    }

    var acknowledge: Endpoint {
        Endpoint(
            .post, "/handovers/{id}/acknowledge", operationID: "acknowledgeHandover", summary: "The incoming coordinator acknowledges a handover",
            permission: IncidentOpsPermissions.handoverWrite, responses: [ResponseDoc(200, "The handover", Self.schema)]
        ) { request in
            try .json(try await handovers.acknowledge(request.path("id"), by: request.invocation))
        }
    }
}
