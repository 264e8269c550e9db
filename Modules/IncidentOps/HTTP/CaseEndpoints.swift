import Foundation
import Kernel

/// /api/incident-ops/cases: intake, the case list and a case.
struct CaseEndpoints {
    let cases: CaseService

    var all: [Endpoint] { [open, list, count, show, update] }

    static let filterParameters: [QueryParameter] = [
        QueryParameter("region", .string(maxLength: 10), "Region code, e.g. BR-SP"),
        QueryParameter("status", .enumeration(CaseStatus.allCases.map(\.rawValue)), "Lifecycle state"),
        QueryParameter("open", .boolean, "Only cases still being worked (true) or only resolved and closed ones (false)"),
        QueryParameter("severity", .enumeration(Severity.allCases.map(\.rawValue)), "S1 to S4"),
        QueryParameter("businessLine", .enumeration(BusinessLine.allCases.map(\.rawValue)), "Who reported"),
        QueryParameter("category", .enumeration(CaseCategory.all), "Category"),
        QueryParameter("sensitive", .boolean, "Only sensitive (true) or only ordinary (false) cases"),
        QueryParameter("createdFrom", .dateTime, "Created at or after"),
        QueryParameter("createdBefore", .dateTime, "Created before"),
        QueryParameter("q", .string(maxLength: 200, minLength: 2), "Words in the reference or description"),
    ]

    static func filter(_ query: [String: String]) throws(VigilError) -> CaseFilter {
        try CaseFilter.parse(
            region: query["region"], status: query["status"], severity: query["severity"], businessLine: query["businessLine"],
            category: query["category"], sensitive: query["sensitive"], createdFrom: query["createdFrom"], createdBefore: query["createdBefore"],
            text: query["q"], open: query["open"])
    }

    private struct CountOut: Encodable { let count: Int }

    var count: Endpoint {
        Endpoint(
            .get, "/cases/count", operationID: "countCases", summary: "How many cases you may see match the filters",
            permission: IncidentOpsPermissions.caseRead,
            query: Self.filterParameters, responses: [ResponseDoc(200, "The count", .named("CaseCount", .object([.required("count", .integer())])))]
        ) { request in
            try .json(CountOut(count: try await cases.count(try Self.filter(request.query), by: request.principal)))
        }
    }

    var open: Endpoint {
        Endpoint(
            .post, "/cases", operationID: "openCase", summary: "Open an incident case", permission: IncidentOpsPermissions.caseCreate,
            requestBody: CaseSchemas.openCase,
            responses: [ResponseDoc(201, "The new case", CaseSchemas.incidentCase)], idempotent: true
        ) { request in
            let input = try request.decode(OpenCaseInput.self, schema: CaseSchemas.openCase)
            let incident = try await cases.open(input, by: request.invocation)
            return try .json(incident, status: 201, version: incident.version, location: "/api/incident-ops/cases/\(incident.id)")
        }
    }

    var list: Endpoint {
        Endpoint(
            .get, "/cases", operationID: "listCases", summary: "List cases, newest first, filtered and paged by cursor",
            permission: IncidentOpsPermissions.caseRead,
            query: Self.filterParameters + [.pagingLimit, .pagingCursor],
            responses: [ResponseDoc(200, "A page of cases", CaseSchemas.casePage)]
        ) { request in
            let query = request.query
            let filter = try Self.filter(query)
            let page = try PageRequest(limit: query["limit"], cursor: query["cursor"])
            return try .json(try await cases.list(filter, page: page, by: request.principal))
        }
    }

    var show: Endpoint {
        Endpoint(
            .get, "/cases/{id}", operationID: "getCase", summary: "A case by id or by reference (INC-2026-000123)", permission: IncidentOpsPermissions.caseRead,
            responses: [ResponseDoc(200, "The case", CaseSchemas.incidentCase)]
        ) { request in
            let incident = try await cases.get(request.path("id"), by: request.principal)
            return try .json(incident, version: incident.version)
        }
    }

    var update: Endpoint {
        Endpoint(
            .patch, "/cases/{id}", operationID: "updateCase", summary: "Correct a case's intake details (send the version read in If-Match)",
            permission: IncidentOpsPermissions.caseUpdate, requestBody: CaseSchemas.updateCase,
            responses: [ResponseDoc(200, "The corrected case", CaseSchemas.incidentCase)], versioned: true
        ) { request in
            let input = try request.decode(UpdateCaseInput.self, schema: CaseSchemas.updateCase)
            let incident = try await cases.update(request.path("id"), input, expectedVersion: try request.requireVersion(), by: request.invocation)
            return try .json(incident, version: incident.version)
        }
    }
}
