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
        ]
    }

    func list(_ request: ConsoleRequest) async throws -> ConsoleResponse {
        var query: [String: String] = ["limit": "50"]
        for name in Self.filters + ["cursor"] {
            if let value = request.query[name], !value.isEmpty { query[name] = value }
        }
        // The queue a person works is the open cases; "all" takes the finished ones too.
        switch query["status"] {
        case nil: query["open"] = "true"
        case "all": query["status"] = nil
        default: break
        }
        let view = try await CaseView.make(request)
        let page: JSONValue
        do {
            page = try await request.read("listCases", query: query)
        } catch let error as VigilError where error.kind == .validation {
            return .page(
                ConsoleView("cases", title: "cases-title", data: try await listData(request, view, items: [], next: nil, issues: error.fields), status: 422))
        }
        let items = page[member: "items"]?.items.map(view.row) ?? []
        var list = ConsoleView(
            "cases", title: "cases-title", data: try await listData(request, view, items: items, next: page[member: "nextCursor"]?.text, issues: []))
        list.live = true
        return .page(list)
    }

    private func listData(_ request: ConsoleRequest, _ view: CaseView, items: [JSONValue], next: String?, issues: [FieldIssue]) async throws
        -> [String: JSONValue]
    {
        var data: [String: JSONValue] = [
            "items": .array(items),
            "hasItems": .bool(!items.isEmpty),
            "statusOptions": view.options("status", ["all"] + CaseStatus.allCases.map(\.rawValue), selected: request.query["status"]),
            "severityOptions": view.options("severity", Severity.allCases.map(\.rawValue), selected: request.query["severity"]),
            "categoryOptions": view.options("category", CaseCategory.all, selected: request.query["category"]),
            "regionOptions": .array(
                try await request.context.regions.all().filter { request.principal.canAccess($0.code) }.map { region in
                    .object([
                        "value": .string(region.code.rawValue), "label": .string(region.name),
                        "selected": .bool(region.code.rawValue == request.query["region"]),
                    ])
                }),
            "q": .string(request.query["q"] ?? ""),
            "canCreate": .bool(request.principal.has(IncidentOpsPermissions.caseCreate)),
        ]
        if let next {
            var parameters = Self.filters.compactMap { name in request.query[name].flatMap { $0.isEmpty ? nil : "\(name)=\(Self.escape($0))" } }
            parameters.append("cursor=\(Self.escape(next))")
            data["nextHref"] = .string(Self.base + "?" + parameters.joined(separator: "&"))
        }
        if request.query["cursor"] != nil { data["firstHref"] = .string(Self.base) }
        if !issues.isEmpty { data["issues"] = .array(issues.map { .object(["field": .string($0.field), "message": .string($0.message)]) }) }
        return data
    }

    static func escape(_ text: String) -> String { text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "" }

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
        let timeline = try await request.read("caseTimeline", path: ["id": id], query: ["limit": "100"])
        let zone = view.zones[incident[member: "region"]?.text ?? ""]
        let entries: [JSONValue] =
            timeline[member: "items"]?.items.map { entry in
                guard case .object(var members) = entry else { return entry }
                if let local = request.localTime(members["at"], zone: zone) { members["atLocal"] = .string(local) }
                if let kind = members["kind"]?.text { members["kindLabel"] = .string(request.text("value-timeline-\(kind)")) }
                return .object(members)
            } ?? []
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
        let status = CaseStatus(rawValue: incident[member: "status"]?.text ?? "") ?? .new
        var data: [String: JSONValue] = [
            "case": incident, "timeline": .array(entries), "clocks": .array(clocks), "hasClocks": .bool(!clocks.isEmpty),
            "transitions": view.options("status", CaseLifecycle.allowed(from: status).map(\.rawValue), selected: nil),
            "resolutionOptions": view.options("resolutionCode", ResolutionCode.allCases.map(\.rawValue), selected: nil),
            "waitingOptions": view.options("waitingOn", WaitingOn.allCases.map(\.rawValue), selected: nil),
            "canAssign": .bool(request.principal.has(IncidentOpsPermissions.caseAssign)),
            "canUpdate": .bool(request.principal.has(IncidentOpsPermissions.caseUpdate)),
            "version": incident[member: "version"] ?? .integer(0),
        ]
        if request.principal.has(IncidentOpsPermissions.caseAssign) {
            let region = incident[member: "region"]?.text ?? ""
            let analysts = try await request.read("listAnalysts", query: ["region": region]).items
            let current = incident[member: "assignee"]?.text
            data["analysts"] = .array(
                analysts.map { analyst in
                    let load = "\(analyst[member: "activeCases"].map { $0.jsonText } ?? "0")/\(analyst[member: "capacity"].map { $0.jsonText } ?? "?")"
                    let actor = analyst[member: "actor"]?.text ?? ""
                    return .object([
                        "value": .string(actor.hasPrefix("user:") ? String(actor.dropFirst(5)) : actor),
                        "label": .string("\(analyst[member: "name"]?.text ?? "") (\(load))"),
                        "selected": .bool(analyst[member: "userId"]?.text == current),
                    ])
                })
        }
        var page = ConsoleView("case", title: "case-title", data: data, titleDetail: incident[member: "reference"]?.text)
        page.live = true
        return .page(page)
    }

    /// An action of the case page, then back to the case; a stale form names who changed it.
    func act(_ request: ConsoleRequest, _ operationID: String, done: String) async throws -> ConsoleResponse {
        let id = request.path("id")
        return try await request.act(operationID, path: ["id": id], back: "\(Self.base)/\(id)", done: done) {
            // The timeline runs oldest first: its last entry is the change that made the form stale.
            var query = ["limit": "100"]
            var last: JSONValue?
            for _ in 0..<50 {
                let page = try await request.read("caseTimeline", path: ["id": id], query: query)
                last = page[member: "items"]?.items.last ?? last
                guard let cursor = page[member: "nextCursor"]?.text else { break }
                query["cursor"] = cursor
            }
            guard let entry = last, let actor = entry[member: "actor"]?.text, let at = entry[member: "at"]?.text.flatMap(ISO8601Instant.parse) else {
                return nil
            }
            return (actor.hasPrefix("user:") ? String(actor.dropFirst(5)) : actor, at)
        }
    }
}

/// ISO 8601 instants as the API writes them.
enum ISO8601Instant {
    static func parse(_ text: String) -> Date? { ISO8601.parse(text) }
}
