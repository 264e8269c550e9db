import Calendars
import Foundation
import Kernel

/// Queues, analysts, the roster, and assigning cases.
struct DeskEndpoints {
    let desk: DeskService
    let cases: CaseService

    var all: [Endpoint] { [createQueue, listQueues, queueView, rebalance, setAnalyst, listAnalysts, addShift, addRotation, roster, assign, claim] }

    static let queuedCase: Schema = .named("QueuedCase", .object([.required("incident", CaseSchemas.incidentCase), .optional("nextDueAt", .dateTime)]))

    var queueView: Endpoint {
        Endpoint(
            .get, "/queues/{id}/cases", operationID: "queueView", summary: "A queue's open cases, soonest SLA due first",
            permission: IncidentOpsPermissions.caseRead, query: [.pagingLimit, .pagingCursor],
            responses: [
                ResponseDoc(
                    200, "A page of queued cases",
                    .named("QueuedCasePage", .object([.required("items", .array(Self.queuedCase)), .optional("nextCursor", .string(.init()))])))
            ]
        ) { request in
            let page = try PageRequest(limit: request.query["limit"], cursor: request.query["cursor"])
            return try .json(try await cases.queueView(queueID: request.path("id"), page: page, by: request.principal))
        }
    }

    static func requiredRegion(_ text: String?) throws(VigilError) -> RegionCode {
        guard let text else { throw VigilError.invalid("region", .required, "give a region code like BR-SP") }
        let code = try RegionCode.parse(text)
        return code
    }

    static func region(_ text: String?) throws(VigilError) -> RegionCode? {
        guard let text else { return nil }
        let code = try RegionCode.parse(text)
        return code
    }

    var createQueue: Endpoint {
        Endpoint(
            .post, "/queues", operationID: "createQueue", summary: "Create a queue with its assignment strategy", permission: IncidentOpsPermissions.deskManage,
            requestBody: DeskSchemas.queueInput, responses: [ResponseDoc(201, "The queue", DeskSchemas.queue)], idempotent: true
        ) { request in
            let input = try request.decode(QueueInput.self, schema: DeskSchemas.queueInput)
            return try .json(try await desk.createQueue(input, by: request.invocation), status: 201)
        }
    }

    var listQueues: Endpoint {
        Endpoint(
            .get, "/queues", operationID: "listQueues", summary: "Queues of a region (or of all yours)", permission: IncidentOpsPermissions.caseRead,
            query: [QueryParameter("region", .string(maxLength: 10), "Region code")], responses: [ResponseDoc(200, "Queues", .array(DeskSchemas.queue))]
        ) { request in
            try .json(try await desk.queues(region: try Self.region(request.query["region"]), by: request.principal))
        }
    }

    private struct Rebalanced: Encodable { let assigned: Int }

    var rebalance: Endpoint {
        Endpoint(
            .post, "/queues/{id}/rebalance", operationID: "rebalanceQueue", summary: "Assign a queue's waiting cases as far as capacity allows",
            permission: IncidentOpsPermissions.caseAssign, responses: [ResponseDoc(200, "How many were assigned", DeskSchemas.rebalanced)]
        ) { request in
            try .json(Rebalanced(assigned: try await cases.rebalance(queueID: request.path("id"), by: request.invocation)))
        }
    }

    var setAnalyst: Endpoint {
        Endpoint(
            .put, "/analysts", operationID: "setAnalyst", summary: "Register an analyst or change their skills, languages and capacity",
            permission: IncidentOpsPermissions.deskManage, requestBody: DeskSchemas.analystInput,
            responses: [ResponseDoc(200, "The analyst", DeskSchemas.analyst)]
        ) { request in
            let input = try request.decode(AnalystInput.self, schema: DeskSchemas.analystInput)
            return try .json(try await desk.setAnalyst(input, by: request.invocation))
        }
    }

    var listAnalysts: Endpoint {
        Endpoint(
            .get, "/analysts", operationID: "listAnalysts", summary: "Analysts with their load", permission: IncidentOpsPermissions.caseRead,
            query: [QueryParameter("region", .string(maxLength: 10), "Region code")], responses: [ResponseDoc(200, "Analysts", .array(DeskSchemas.analyst))]
        ) { request in
            try .json(try await desk.analysts(region: try Self.region(request.query["region"]), by: request.principal))
        }
    }

    var addShift: Endpoint {
        Endpoint(
            .post, "/roster", operationID: "addShift", summary: "Put someone on the roster (planned, swap or override)",
            permission: IncidentOpsPermissions.deskManage,
            requestBody: DeskSchemas.shiftInput, responses: [ResponseDoc(201, "The roster entry", DeskSchemas.shift)], idempotent: true
        ) { request in
            let input = try request.decode(ShiftInput.self, schema: DeskSchemas.shiftInput)
            return try .json(try await desk.addShift(input, by: request.invocation), status: 201)
        }
    }

    static let rotationInput: Schema = .named(
        "RotationInput",
        .object([
            .required("region", .string(maxLength: 10)), .required("role", .string(maxLength: 20), "analyst, specialist or coordinator"),
            .required("emails", .array(.string(maxLength: 200)), "The people in team order: person n joins team n mod (shiftsPerDay + 1)"),
            .required("startDate", .string(maxLength: 10), "First day, local (YYYY-MM-DD)"), .required("days", .integer(), "1 to 62"),
            .optional("shiftsPerDay", .integer(), "1, 2, 3 (default: 3 × 8 h) or 4"),
            .optional("firstShiftStarts", .string(maxLength: 5), "Local HH:MM, default 06:00"),
            .optional("rotateEveryDays", .integer(), "Teams move to the next shift every so many days (default 7); one team rests in turn"),
        ]))

    private struct RotationBody: Decodable {
        let region: String; let role: String; let emails: [String]; let startDate: String; let days: Int
        let shiftsPerDay: Int?; let firstShiftStarts: String?; let rotateEveryDays: Int?
    }

    var addRotation: Endpoint {
        Endpoint(
            .post, "/roster/rotation", operationID: "addRotation",
            summary: "Lay down a rotating roster (e.g. 3 × 8 h, one team resting in turn) as planned shifts",
            permission: IncidentOpsPermissions.deskManage, requestBody: Self.rotationInput,
            responses: [ResponseDoc(201, "The shifts created", .array(DeskSchemas.shift))], idempotent: true
        ) { request in
            let body = try request.decode(RotationBody.self, schema: Self.rotationInput)
            let input = RotationInput(
                region: body.region, role: body.role, emails: body.emails, startDate: body.startDate, days: body.days,
                shiftsPerDay: body.shiftsPerDay ?? 3, firstShiftStarts: body.firstShiftStarts ?? "06:00", rotateEveryDays: body.rotateEveryDays ?? 7)
            return try .json(try await desk.addRotation(input, by: request.invocation), status: 201)
        }
    }

    var roster: Endpoint {
        Endpoint(
            .get, "/roster", operationID: "roster", summary: "Who is on shift in a region over a period", permission: IncidentOpsPermissions.caseRead,
            query: [
                QueryParameter("region", .string(maxLength: 10), "Region code (required)"), QueryParameter("from", .dateTime, "Default now"),
                QueryParameter("to", .dateTime, "Default 24 hours after from"),
            ],
            responses: [ResponseDoc(200, "Roster entries", .array(DeskSchemas.shift))]
        ) { request in
            guard let region = try Self.region(request.query["region"]) else { throw VigilError.invalid("region", .required, "is required") }
            let from = request.query["from"].flatMap(ISO8601.parse) ?? request.context.clock.now()
            let to = request.query["to"].flatMap(ISO8601.parse) ?? from.addingTimeInterval(86_400)
            return try .json(try await desk.roster(region: region, from: from, to: to, by: request.principal))
        }
    }

    private struct AssignInput: Decodable { let assignee: String; let overCapacity: Bool? }

    var assign: Endpoint {
        Endpoint(
            .post, "/cases/{id}/assign", operationID: "assignCase", summary: "Assign or reassign a case to an analyst (send the version read in If-Match)",
            permission: IncidentOpsPermissions.caseAssign, requestBody: DeskSchemas.assign,
            responses: [ResponseDoc(200, "The case", CaseSchemas.incidentCase)], versioned: true
        ) { request in
            let input = try request.decode(AssignInput.self, schema: DeskSchemas.assign)
            let incident = try await cases.assign(
                request.path("id"), to: input.assignee, overCapacity: input.overCapacity ?? false,
                expectedVersion: try request.requireVersion(), by: request.invocation)
            return try .json(incident, version: incident.version)
        }
    }

    var claim: Endpoint {
        Endpoint(
            .post, "/cases/{id}/claim", operationID: "claimCase", summary: "Take a case for yourself (send the version read in If-Match)",
            permission: IncidentOpsPermissions.caseUpdate, responses: [ResponseDoc(200, "The case", CaseSchemas.incidentCase)], versioned: true
        ) { request in
            let incident = try await cases.claim(request.path("id"), expectedVersion: try request.requireVersion(), by: request.invocation)
            return try .json(incident, version: incident.version)
        }
    }
}
