import Calendars
import Foundation
import Kernel

/// The coordinator's coverage (roster against demand) and workload views.
struct CoverageEndpoints {
    let coverage: CoverageService

    var all: [Endpoint] { [slots, workload] }

    static let slot: Schema = .named(
        "CoverageSlot",
        .object([
            .required("from", .dateTime), .required("to", .dateTime), .required("analysts", .integer()), .required("specialists", .integer()),
            .required("coordinators", .integer()), .required("capacity", .integer()), .required("expectedCases", .number),
            .required("gaps", .array(.string(.init()))),
        ]))

    static let workloadSchema: Schema = .named(
        "Workload",
        .object([
            .required("region", .string(.init())), .required("at", .dateTime),
            .required(
                "analysts",
                .array(
                    .object([
                        .required("analyst", .string(.init())), .required("onShift", .boolean), .required("activeCases", .integer()),
                        .required("capacity", .integer()),
                        .required("slaBreached", .integer()), .required("slaAtRisk", .integer()), .optional("oldestOpenAt", .dateTime),
                    ]))),
            .required(
                "queues",
                .array(
                    .object([
                        .optional("queueId", .string(.init())), .required("name", .string(.init())), .required("open", .integer()),
                        .required("waiting", .integer()),
                        .optional("oldestWaitingAt", .dateTime), .required("slaAtRisk", .integer()), .required("slaBreached", .integer()),
                        .optional("nextDueAt", .dateTime),
                    ]))),
        ]))

    var slots: Endpoint {
        Endpoint(
            .get, "/coverage", operationID: "coverage", summary: "Hourly coverage of a region: who is on shift, capacity, expected cases and gaps",
            permission: IncidentOpsPermissions.caseRead,
            query: [
                QueryParameter("region", .string(maxLength: 10), "Region code"),
                QueryParameter("from", .dateTime, "Default now"), QueryParameter("to", .dateTime, "Default 24 hours after from; at most 14 days"),
            ],
            responses: [ResponseDoc(200, "The slots", .array(Self.slot))]
        ) { request in
            let query = request.query
            return try .json(
                try await coverage.coverage(
                    region: try DeskEndpoints.requiredRegion(query["region"]), from: query["from"].flatMap(ISO8601.parse),
                    to: query["to"].flatMap(ISO8601.parse), by: request.principal))
        }
    }

    var workload: Endpoint {
        Endpoint(
            .get, "/workload", operationID: "workload", summary: "The desk now: each analyst's load and SLA trouble, each queue's wait",
            permission: IncidentOpsPermissions.caseRead, query: [QueryParameter("region", .string(maxLength: 10), "Region code")],
            responses: [ResponseDoc(200, "The workload", Self.workloadSchema)]
        ) { request in
            try .json(try await coverage.workload(region: try DeskEndpoints.requiredRegion(request.query["region"]), by: request.principal))
        }
    }
}
