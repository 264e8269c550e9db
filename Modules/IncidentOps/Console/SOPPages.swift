import Calendars
import Foundation
import JSONCoding
import Kernel

/// Runbooks (SOPs): each category's current checklist and its earlier versions, and an editor
/// that publishes a new version — cases opened afterwards follow it, open ones keep theirs. The
/// editor is a plain form of step rows (no script): a row left without a title is dropped, and a
/// few empty rows at the end add steps.
struct SOPPages {
    static let base = "/console/incident-ops/sops"
    static let blankRows = 3

    var all: [ConsolePage] {
        [
            .get("/sops", permission: IncidentOpsPermissions.caseRead, navigation: ConsoleNavigation("nav-sops", order: 55), handler: list),
            .get("/sops/{category}", permission: IncidentOpsPermissions.caseRead, handler: show),
            .post("/sops/{category}", permission: IncidentOpsPermissions.deskManage, handler: publish),
        ]
    }

    func list(_ request: ConsoleRequest) async throws -> ConsoleResponse {
        let runbooks = try await request.read("listSOPs").items
        var current: [String: JSONValue] = [:]
        for runbook in runbooks {
            let category = runbook[member: "category"]?.text ?? ""
            if (current[category]?[member: "version"]?.intValue ?? 0) < (runbook[member: "version"]?.intValue ?? 0) { current[category] = runbook }
        }
        let zone = try await request.homeZone()
        let rows: [JSONValue] = CaseCategory.all.map { category in
            let runbook = current[category]
            return .object([
                "category": .string(request.text("value-category-\(category)")), "href": .string("\(Self.base)/\(category)"),
                "has": .bool(runbook != nil), "title": runbook?[member: "title"] ?? .string(""),
                "version": runbook?[member: "version"] ?? .null, "steps": .integer(Int64(runbook?[member: "steps"]?.items.count ?? 0)),
                "publishedLocal": .string(request.localTime(runbook?[member: "publishedAt"], zone: zone) ?? ""),
                "publishedBy": .string(ConsoleRequest.person(runbook?[member: "publishedBy"]?.text)),
            ])
        }
        return .page(ConsoleView("sops", title: "sops-title", data: ["runbooks": .array(rows)]))
    }

    func show(_ request: ConsoleRequest) async throws -> ConsoleResponse {
        let category = request.path("category")
        guard CaseCategory.all.contains(category) else { throw VigilError(.notFound, "no such category") }
        let versions = try await request.read("listSOPs", query: ["category": category]).items
            .sorted { ($0[member: "version"]?.intValue ?? 0) > ($1[member: "version"]?.intValue ?? 0) }
        let zone = try await request.homeZone()
        let severities = Severity.allCases.map(\.rawValue)
        let steps = versions.first?[member: "steps"]?.items ?? []
        let rows: [JSONValue] = (steps + Array(repeating: JSONValue.null, count: Self.blankRows)).enumerated().map { index, step in
            let severity = step[member: "minimumSeverity"]?.text
            return .object([
                "index": .integer(Int64(index)), "key": step[member: "key"] ?? .string(""), "title": step[member: "title"] ?? .string(""),
                "mandatory": step[member: "mandatory"] ?? .bool(step == .null),
                "deadline": step[member: "deadlineMinutes"] ?? .string(""),
                "severityOptions": .array(severities.map { .object(["value": .string($0), "selected": .bool($0 == severity)]) }),
                "number": .integer(Int64(index + 1)),
            ])
        }
        let history: [JSONValue] = versions.map { version in
            .object([
                "version": version[member: "version"] ?? .null, "title": version[member: "title"] ?? .string(""),
                "publishedLocal": .string(request.localTime(version[member: "publishedAt"], zone: zone) ?? ""),
                "publishedBy": .string(ConsoleRequest.person(version[member: "publishedBy"]?.text)),
                "steps": .array(
                    version[member: "steps"]?.items.map { step in
                        .object([
                            "title": step[member: "title"] ?? .string(""), "mandatory": step[member: "mandatory"] ?? .bool(false),
                            "deadline": .string(request.locale.duration(seconds: (step[member: "deadlineMinutes"]?.intValue ?? 0) * 60)),
                            "minimumSeverity": step[member: "minimumSeverity"] ?? .null,
                        ])
                    } ?? []),
            ])
        }
        let data: [String: JSONValue] = [
            "category": .string(category), "categoryLabel": .string(request.text("value-category-\(category)")),
            "title": versions.first?[member: "title"] ?? .string(""), "rows": .array(rows), "rowCount": .integer(Int64(rows.count)),
            "versions": .array(history), "hasVersions": .bool(!versions.isEmpty),
            "canPublish": .bool(request.principal.has(IncidentOpsPermissions.deskManage)),
        ]
        return .page(ConsoleView("sop", title: "sop-title", data: data, titleDetail: request.text("value-category-\(category)")))
    }

    /// The rows as the runbook's steps (those with a title), published as its next version.
    func publish(_ request: ConsoleRequest) async throws -> ConsoleResponse {
        let category = request.path("category")
        let back = "\(Self.base)/\(ConsoleRequest.pathSegment(category))"
        let count = min(Int(request.form.single("_rows") ?? "") ?? 0, 60)
        var steps: [JSONValue] = []
        for index in 0..<count {
            let title = (request.form.single("title-\(index)") ?? "").trimmingCharacters(in: .whitespaces)
            guard !title.isEmpty else { continue }
            var key = (request.form.single("key-\(index)") ?? "").trimmingCharacters(in: .whitespaces)
            if key.isEmpty { key = Self.key(from: title) }
            guard let minutes = Int64(request.form.single("deadline-\(index)") ?? "") else {
                return .redirect(back, .error("sop-deadline-needed", ["step": title]))
            }
            var step: [String: JSONValue] = [
                "key": .string(key), "title": .string(title), "deadlineMinutes": .integer(minutes),
                "mandatory": .bool(request.form.single("mandatory-\(index)") == "true"),
            ]
            if let severity = request.form.single("severity-\(index)"), !severity.isEmpty { step["minimumSeverity"] = .string(severity) }
            steps.append(.object(step))
        }
        let body: JSONValue = .object([
            "category": .string(category), "title": .string(request.form.single("title") ?? ""), "steps": .array(steps),
        ])
        do {
            _ = try await request.endpoints.call(
                "publishSOP", path: [:], query: [:], body: body, ifMatch: nil, idempotencyKey: request.form.single("_idem").flatMap { $0.isEmpty ? nil : $0 })
            return .redirect(back, .success("sop-version-published"))
        } catch let error as VigilError {
            return .redirect(back, try await request.refusal(error))
        }
    }

    /// A step's key from its title when none is given: lower-case words joined by dashes.
    static func key(from title: String) -> String {
        let words = title.lowercased().folding(options: .diacriticInsensitive, locale: nil).split { !$0.isLetter && !$0.isNumber }
        return String(words.joined(separator: "-").prefix(40))
    }
}
