import Calendars
import Foundation
import JSONCoding
import Kernel

/// The case pages of the desk: the list with its filters, the new-case form, and the case with
/// its clocks, timeline and every action. Each reads and writes through the domain's endpoints,
/// so what a page shows and allows is exactly what the API does for the same person.
struct CasePages {
    static let base = "/console/incident-ops/cases"
    /// The filters of the list, each one of listCases' query parameters.
    static let filters = ["status", "severity", "region", "category", "q"]
    /// The fields of the new-case form (the rest of openCase's body has defaults).
    static let newCaseFields = [
        "region", "businessLine", "category", "severity", "urgency", "description", "location.address", "reporterName", "reporterContact", "sensitive",
    ]

    var all: [ConsolePage] {
        [
            .get("/cases", permission: IncidentOpsPermissions.caseRead, navigation: ConsoleNavigation("nav-cases", order: 20, shortcut: "c"), handler: list),
            .get("/cases/new", permission: IncidentOpsPermissions.caseCreate, navigation: ConsoleNavigation("nav-new-case", order: 30)) { request in
                try await newCase(request, values: FormValues(), issues: [])
            },
            .post("/cases/new", permission: IncidentOpsPermissions.caseCreate, handler: openCase),
            .get("/cases/{id}", permission: IncidentOpsPermissions.caseRead, handler: show),
            .post("/cases/{id}/assign", permission: IncidentOpsPermissions.caseAssign) { request in
                try await act(request, "assignCase", done: "case-assigned")
            },
            .post("/cases/{id}/transition", permission: IncidentOpsPermissions.caseUpdate) { request in
                try await act(request, "transitionCase", done: "case-moved")
            },
            .post("/cases/{id}/note", permission: IncidentOpsPermissions.caseUpdate) { request in
                try await act(request, "addCaseNote", done: "case-noted")
            },
            .post("/cases/{id}/checklist/{step}/done", permission: IncidentOpsPermissions.caseUpdate) { request in
                try await step(request, "completeCaseStep", done: "step-done")
            },
            .post("/cases/{id}/checklist/{step}/waive", permission: IncidentOpsPermissions.caseAssign) { request in
                try await step(request, "waiveCaseStep", done: "step-waived")
            },
        ]
    }

    func list(_ request: ConsoleRequest) async throws -> ConsoleResponse {
        let view = try await CaseView.make(request)
        var data: [String: JSONValue] = [
            "statusOptions": request.options("status", ["all"] + CaseStatus.allCases.map(\.rawValue), selected: request.query["status"]),
            "severityOptions": request.options("severity", Severity.allCases.map(\.rawValue), selected: request.query["severity"]),
            "categoryOptions": request.options("category", CaseCategory.all, selected: request.query["category"]),
            "regionOptions": try await request.regionOptions(selected: request.query["region"]),
            "q": .string(request.query["q"] ?? ""),
            "canCreate": .bool(request.principal.has(IncidentOpsPermissions.caseCreate)),
        ]
        let status = try await request.listPage(
            "listCases", query: request.queueQuery(filters: Self.filters), base: Self.base, filters: Self.filters, into: &data, row: view.row)
        var list = ConsoleView("cases", title: "cases-title", data: data, status: status)
        list.live = true
        list.savedFilters = true
        return .page(list)
    }

    func newCase(_ request: ConsoleRequest, values: FormValues, issues: [FieldIssue]) async throws -> ConsoleResponse {
        var fields = request.formFields("openCase", values: values, issues: issues, only: Self.newCaseFields)
        // The region is a choice among those the person works in, not free text.
        let regions = try await request.context.regions.all().filter { request.principal.canAccess($0.code) }
        fields = fields.map { field in
            guard field[member: "name"]?.text == "region", case .object(var members) = field else { return field }
            members["input"] = nil
            members["select"] = .bool(true)
            let chosen = values.single("region") ?? (regions.count == 1 ? regions[0].code.rawValue : nil)
            members["options"] = .array(
                regions.map { .object(["value": .string($0.code.rawValue), "label": .string($0.name), "selected": .bool($0.code.rawValue == chosen)]) })
            return .object(members)
        }
        // A new case is intake: urgency defaults to medium as the API does.
        fields = fields.map { field in
            guard field[member: "name"]?.text == "urgency", values.single("urgency") == nil, case .object(var members) = field else { return field }
            members["options"] = .array(
                members["options"]?.items.map { option in
                    guard case .object(var choice) = option else { return option }
                    choice["selected"] = .bool(choice["value"]?.text == Urgency.medium.rawValue)
                    return .object(choice)
                } ?? [])
            return .object(members)
        }
        var data: [String: JSONValue] = ["fields": .array(fields)]
        if !issues.isEmpty { data["hasIssues"] = .bool(true) }
        return .page(ConsoleView("case-new", title: "new-case-title", data: data, status: issues.isEmpty ? 200 : 422))
    }

    func openCase(_ request: ConsoleRequest) async throws -> ConsoleResponse {
        do {
            let response = try await request.submit("openCase")
            let opened = try JSONValue.parse(response.body)
            guard let id = opened[member: "id"]?.text else { throw VigilError(.internal, "the new case has no id") }
            return .redirect("\(Self.base)/\(id)", .success("case-opened", ["reference": opened[member: "reference"]?.text ?? ""]))
        } catch let error as VigilError where error.kind == .validation {
            return try await newCase(request, values: request.form, issues: error.fields)
        }
    }

    func show(_ request: ConsoleRequest) async throws -> ConsoleResponse {
        let id = request.path("id")
        let view = try await CaseView.make(request)
        let incident = view.row(try await request.read("getCase", path: ["id": id]))
        let zone = view.zones[incident[member: "region"]?.text ?? ""]
        let entries: [JSONValue] =
            try await Self.latestTimeline(request, id: id).map { entry in
                guard case .object(var members) = entry else { return entry }
                if let local = request.localTime(members["at"], zone: zone) { members["atLocal"] = .string(local) }
                if let kind = members["kind"]?.text { members["kindLabel"] = .string(request.text("value-timeline-\(kind)")) }
                members["actor"] = .string(ConsoleRequest.person(members["actor"]?.text))
                return .object(members)
            }
        let clocks = try await request.read("caseClocks", path: ["id": id]).items.map { clock -> JSONValue in
            guard case .object(var members) = clock else { return clock }
            if let kind = members["clock"]?.text { members["clockLabel"] = .string(request.text("value-clock-\(kind)")) }
            if let state = members["state"]?.text {
                members["stateLabel"] = .string(request.text("value-clock-state-\(state)"))
                members["running"] = .bool(state == "running")
                members["breached"] = .bool(state == "breached" || members["breachedAt"].map { $0 != .null } == true)
            }
            if let local = request.localTime(members["dueAt"], zone: zone) { members["dueLocal"] = .string(local) }
            return .object(members)
        }
        let canUpdate = request.principal.has(IncidentOpsPermissions.caseUpdate)
        let canWaive = request.principal.has(IncidentOpsPermissions.caseAssign)
        let steps = try await request.read("caseChecklist", path: ["id": id]).items.map { step -> JSONValue in
            guard case .object(var members) = step else { return step }
            let finished = members["doneAt"].map { $0 != .null } == true || members["waivedAt"].map { $0 != .null } == true
            members["open"] = .bool(!finished)
            members["canComplete"] = .bool(!finished && canUpdate)
            members["canWaive"] = .bool(!finished && canWaive)
            if let local = request.localTime(members["dueAt"], zone: zone) { members["dueLocal"] = .string(local) }
            if let local = request.localTime(members["doneAt"], zone: zone) { members["doneLocal"] = .string(local) }
            if let local = request.localTime(members["waivedAt"], zone: zone) { members["waivedLocal"] = .string(local) }
            members["doneBy"] = members["doneBy"]?.text.map { .string(ConsoleRequest.person($0)) }
            members["waivedBy"] = members["waivedBy"]?.text.map { .string(ConsoleRequest.person($0)) }
            return .object(members)
        }
        let status = CaseStatus(rawValue: incident[member: "status"]?.text ?? "") ?? .new
        var data: [String: JSONValue] = [
            "case": incident, "timeline": .array(entries), "clocks": .array(clocks), "hasClocks": .bool(!clocks.isEmpty),
            "steps": .array(steps), "hasSteps": .bool(!steps.isEmpty),
            "transitions": request.options("status", CaseLifecycle.allowed(from: status).map(\.rawValue), selected: nil),
            "resolutionOptions": request.options("resolutionCode", ResolutionCode.allCases.map(\.rawValue), selected: nil),
            "waitingOptions": request.options("waitingOn", WaitingOn.allCases.map(\.rawValue), selected: nil),
            "canAssign": .bool(request.principal.has(IncidentOpsPermissions.caseAssign)),
            "canUpdate": .bool(request.principal.has(IncidentOpsPermissions.caseUpdate)),
            "version": incident[member: "version"] ?? .integer(0),
        ]
        data.merge(try await CaseLinkPages.data(request, id: id)) { _, link in link }
        if request.principal.has(IncidentOpsPermissions.caseAssign) {
            let region = incident[member: "region"]?.text ?? ""
            let analysts = try await request.read("listAnalysts", query: ["region": region]).items
            let current = incident[member: "assignee"]?.text
            data["analysts"] = .array(
                analysts.map { analyst in
                    let load = "\(analyst[member: "activeCases"].map { $0.jsonText } ?? "0")/\(analyst[member: "capacity"].map { $0.jsonText } ?? "?")"
                    let actor = analyst[member: "actor"]?.text ?? ""
                    return .object([
                        "value": .string(ConsoleRequest.person(actor)),
                        "label": .string("\(analyst[member: "name"]?.text ?? "") (\(load))"),
                        "selected": .bool(analyst[member: "userId"]?.text == current),
                    ])
                })
        }
        var page = ConsoleView("case", title: "case-title", data: data, titleDetail: incident[member: "reference"]?.text)
        page.live = true
        return .page(page)
    }

    /// The newest `keep` entries of a case's timeline, oldest first as the API gives them: the
    /// timeline is paged from its start, so a long one is followed to its end (at most `pages`
    /// pages) rather than cut after its first page, which would hide the latest changes.
    static func latestTimeline(_ request: ConsoleRequest, id: String, keep: Int = 200, pages: Int = 50) async throws -> [JSONValue] {
        var query = ["limit": "200"]
        var entries: [JSONValue] = []
        for _ in 0..<pages {
            let page = try await request.read("caseTimeline", path: ["id": id], query: query)
            entries.append(contentsOf: page[member: "items"]?.items ?? [])
            if entries.count > keep { entries.removeFirst(entries.count - keep) }
            guard let cursor = page[member: "nextCursor"]?.text else { break }
            query["cursor"] = cursor
        }
        return entries
    }

    /// A step of the case's SOP checklist done, or waived with a reason; back to the case.
    func step(_ request: ConsoleRequest, _ operationID: String, done: String) async throws -> ConsoleResponse {
        let id = request.path("id")
        return try await request.act(operationID, path: ["id": id, "step": request.path("step")], back: "\(Self.base)/\(id)#checklist-title", done: done)
    }

    /// An action of the case page, then back to the case; a stale form names who changed it.
    func act(_ request: ConsoleRequest, _ operationID: String, done: String) async throws -> ConsoleResponse {
        let id = request.path("id")
        return try await request.act(
            operationID, path: ["id": id], back: "\(Self.base)/\(id)", done: done, lastChange: request.lastChange(from: "caseTimeline", path: ["id": id]))
    }
}
