import Calendars
import Foundation
import Kernel

struct ReportEndpoints {
    let reports: ReportService

    var all: [Endpoint] { [desk] }

    static let durations: Schema = .object([.required("count", .integer()), .optional("medianSeconds", .integer()), .optional("p90Seconds", .integer())])
    static let share: Schema = .object([.required("total", .integer()), .required("hits", .integer())])

    static let schema: Schema = .named(
        "DeskReport",
        .object([
            .optional("region", .string(.init())), .required("from", .dateTime), .required("to", .dateTime), .required("opened", .integer()),
            .required("byBusinessLine", .freeObject), .required("byCategory", .freeObject), .required("bySeverity", .freeObject),
            .required("acknowledge", durations), .required("resolve", durations), .required("slaAttainment", .freeObject),
            .required("backlogByAge", .freeObject),
            .required("reopenRate", share), .required("escalationRate", share), .required("sopOnTime", share), .required("sopByStep", .freeObject),
            .required("sopByCategory", .freeObject), .required("sopByAnalyst", .freeObject), .required("byShift", .freeObject),
            .required("sopByShift", .freeObject),
            .required("analysts", .array(.freeObject)),
        ]))

    var desk: Endpoint {
        Endpoint(
            .get, "/reports/desk", operationID: "deskReport", summary: "The desk report of a period as JSON, CSV or HTML with charts",
            permission: IncidentOpsPermissions.reportRead,
            query: [
                QueryParameter("region", .string(maxLength: 10), "Region code (required unless you see every region)"),
                QueryParameter(
                    "period", .enumeration(ReportService.Period.allCases.map(\.rawValue)), "shift, day (default), week or month, ending at `to` or now"),
                QueryParameter("from", .dateTime, "Explicit start (with to)"), QueryParameter("to", .dateTime, "End"),
                QueryParameter("format", .enumeration(["json", "csv", "html"]), "Default json"),
            ],
            responses: [ResponseDoc(200, "The report", Self.schema)] + ResponseDoc.reportDocuments
        ) { request in
            let query = request.query
            let (from, to) = try ReportService.bounds(
                period: query["period"].flatMap(ReportService.Period.init(rawValue:)),
                from: query["from"].flatMap(ISO8601.parse), to: query["to"].flatMap(ISO8601.parse), now: request.context.clock.now())
            let report = try await reports.report(region: try DeskEndpoints.region(query["region"]), from: from, to: to, by: request.principal)
            switch query["format"] ?? "json" {
            case "csv": return EndpointResponse(status: 200, body: Data(ReportRenderer.csv(report).utf8), contentType: "text/csv; charset=utf-8")
            case "html": return EndpointResponse(status: 200, body: Data(ReportRenderer.html(report).utf8), contentType: "text/html; charset=utf-8")
            default: return try .json(report)
            }
        }
    }
}
