import Foundation
import Kernel

/// SLA clocks of a case, acknowledgement, policies and the clock check.
struct SLAEndpoints {
    let cases: CaseService
    let policies: SLAPolicyService

    var all: [Endpoint] { [clocks, acknowledge, listPolicies, setPolicy, check] }

    var clocks: Endpoint {
        Endpoint(
            .get, "/cases/{id}/sla", operationID: "caseClocks", summary: "A case's SLA clocks as they stand now",
            permission: IncidentOpsPermissions.caseRead, responses: [ResponseDoc(200, "The clocks", .array(SLAClockView.schema))]
        ) { request in
            try .json(try await cases.clocks(request.path("id"), by: request.principal))
        }
    }

    var acknowledge: Endpoint {
        Endpoint(
            .post, "/cases/{id}/acknowledge", operationID: "acknowledgeCase", summary: "Acknowledge a case (stops its acknowledge clock)",
            permission: IncidentOpsPermissions.caseUpdate, responses: [ResponseDoc(200, "The clocks after acknowledging", .array(SLAClockView.schema))]
        ) { request in
            try .json(try await cases.acknowledge(request.path("id"), by: request.invocation))
        }
    }

    var listPolicies: Endpoint {
        Endpoint(
            .get, "/sla/policies", operationID: "listSLAPolicies", summary: "SLA policies; with region, every business line × severity including built-in ones",
            permission: IncidentOpsPermissions.caseRead, query: [QueryParameter("region", .string(maxLength: 10), "Region code")],
            responses: [ResponseDoc(200, "Policies", .array(CaseSchemas.policy))]
        ) { request in
            var region: RegionCode?
            if let text = request.query["region"] {
                let code = try RegionCode.parse(text)
                region = code
            }
            return try .json(try await policies.list(region: region, by: request.principal))
        }
    }

    var setPolicy: Endpoint {
        Endpoint(
            .put, "/sla/policies", operationID: "setSLAPolicy", summary: "Set the SLA policy of a region × business line × severity",
            permission: IncidentOpsPermissions.slaManage, requestBody: CaseSchemas.policyInput,
            responses: [ResponseDoc(200, "The policy in force for new cases", CaseSchemas.policy)]
        ) { request in
            let input = try request.decode(SLAPolicyInput.self, schema: CaseSchemas.policyInput)
            return try .json(try await policies.set(input, by: request.invocation))
        }
    }

    private struct CheckOut: Encodable { let checked: Int; let mismatches: [SLAReplay.Mismatch] }

    var check: Endpoint {
        Endpoint(
            .get, "/sla/check", operationID: "checkSLAClocks", summary: "Recompute clocks from case timelines and compare with the stored clocks",
            permission: IncidentOpsPermissions.slaManage,
            query: [QueryParameter("case", .string(maxLength: 64), "One case (id or reference); default the latest 1000")],
            responses: [ResponseDoc(200, "The comparison", CaseSchemas.clockCheck)]
        ) { request in
            let result = try await cases.checkClocks(request.query["case"], by: request.principal)
            return try .json(CheckOut(checked: result.checked, mismatches: result.mismatches))
        }
    }
}
