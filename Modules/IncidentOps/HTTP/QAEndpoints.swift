import Calendars
import Foundation
import Kernel

struct QAEndpoints {
    let qa: QAService

    var all: [Endpoint] { [sample, list, score] }

    static let review: Schema = .named(
        "QAReview",
        .object([
            .required("id", .uuid), .required("caseId", .uuid), .required("analystId", .uuid), .required("region", .string(.init())),
            .required("weekStart", .dateTime),
            .required("state", .enumeration(["pending", "done"])), .optional("scores", .freeObject), .optional("score", .number, "0–100"),
            .optional("comment", .string(.init())), .optional("reviewer", .string(.init())), .optional("reviewedAt", .dateTime),
        ]))
    static let sampleInput: Schema = .named(
        "QASample",
        .object([
            .required("region", .string(maxLength: 10)), .optional("week", .dateTime, "Any instant of the week (default now)"),
            .optional("perAnalyst", .integer(minimum: 1, maximum: 20), "Default 3"),
        ]))
    static let scoreInput: Schema = .named(
        "QAScore",
        .object([
            .required("scores", .object(QAReview.criteria.map { .required($0, .integer(minimum: 0, maximum: 5)) })),
            .optional("comment", .string(maxLength: 5_000)),
        ]))

    private struct SampleInput: Decodable { let region: String; let week: Date?; let perAnalyst: Int? }
    private struct ScoreInput: Decodable { let scores: [String: Int]; let comment: String? }

    var sample: Endpoint {
        Endpoint(
            .post, "/qa/samples", operationID: "sampleForQA", summary: "Sample closed cases of a week per analyst for quality review",
            permission: IncidentOpsPermissions.qaReview, requestBody: Self.sampleInput, responses: [ResponseDoc(200, "The week's reviews", .array(Self.review))]
        ) { request in
            let input = try request.decode(SampleInput.self, schema: Self.sampleInput)
            let region = try RegionCode.parse(input.region)
            return try .json(
                try await qa.sample(region: region, week: input.week ?? request.context.clock.now(), perAnalyst: input.perAnalyst ?? 3, by: request.invocation))
        }
    }

    var list: Endpoint {
        Endpoint(
            .get, "/qa/reviews", operationID: "listQAReviews", summary: "Quality reviews of a region", permission: IncidentOpsPermissions.reportRead,
            query: [QueryParameter("region", .string(maxLength: 10), "Region code (required)"), QueryParameter("week", .dateTime, "Any instant of the week")],
            responses: [ResponseDoc(200, "Reviews", .array(Self.review))]
        ) { request in
            guard let region = try DeskEndpoints.region(request.query["region"]) else { throw VigilError.invalid("region", .required, "is required") }
            return try .json(try await qa.list(region: region, week: request.query["week"].flatMap(ISO8601.parse), by: request.principal))
        }
    }

    var score: Endpoint {
        Endpoint(
            .post, "/qa/reviews/{id}", operationID: "scoreQAReview", summary: "Score a sampled case on the scorecard (each criterion 0–5)",
            permission: IncidentOpsPermissions.qaReview, requestBody: Self.scoreInput, responses: [ResponseDoc(200, "The review", Self.review)]
        ) { request in
            let input = try request.decode(ScoreInput.self, schema: Self.scoreInput)
            return try .json(try await qa.score(request.path("id"), scores: input.scores, comment: input.comment, by: request.invocation))
        }
    }
}
