import Calendars
import Foundation
import JSONCoding
import Kernel

/// Quality review: a week's sample of closed cases per analyst (reproducible, drawn by the desk),
/// each scored on the scorecard (SOP followed, communication, documentation, resolution, 0–5)
/// with a comment; the week's figures per analyst sit above the reviews.
struct QAPages {
    static let base = "/console/incident-ops/qa"

    var all: [ConsolePage] {
        [
            .get("/qa", permission: IncidentOpsPermissions.reportRead, navigation: ConsoleNavigation("nav-qa", order: 58), handler: week),
            .post("/qa/sample", permission: IncidentOpsPermissions.qaReview) { request in
                var extra: [String: JSONValue] = [:]
                if let week = Self.instant(request.form.single("_week")) { extra["week"] = .string(week) }
                return try await request.act("sampleForQA", extra: extra, back: Self.back(request), done: "qa-sampled-done")
            },
            .post("/qa/reviews/{id}", permission: IncidentOpsPermissions.qaReview) { request in
                try await request.act(
                    "scoreQAReview", path: ["id": request.path("id")], back: Self.back(request) + "#review-\(request.path("id"))", done: "qa-scored")
            },
        ]
    }

    /// A week given as a day ("2026-11-30") as an instant the API reads (noon UTC of that day).
    static func instant(_ day: String?) -> String? {
        guard let day = day.flatMap({ LocalDate($0) }),
            let noon = Calendar.utc.date(from: DateComponents(year: day.year, month: day.month, day: day.day, hour: 12))
        else { return nil }
        return ISO8601.format(noon)
    }

    static func back(_ request: ConsoleRequest) -> String {
        var path = "\(base)?region=\(ConsoleRequest.pathSegment(request.form.single("region") ?? ""))"
        if let week = request.form.single("_week"), LocalDate(week) != nil { path += "&week=\(week)" }
        return path
    }

    func week(_ request: ConsoleRequest) async throws -> ConsoleResponse {
        let chosen = try await request.chosenRegion()
        let region = chosen.code.rawValue
        let zone = TimeZone(identifier: chosen.timeZone)
        let day = request.query["week"].flatMap { LocalDate($0) } ?? LocalDate(of: request.context.clock.now(), in: chosen.timeZone)
        var query = ["region": region]
        if let week = Self.instant(day.description) { query["week"] = week }
        let reviews = try await request.read("listQAReviews", query: query).items
        var names: [String: String] = [:]
        for person in try await request.read("listAnalysts", query: ["region": region]).items {
            names[person[member: "userId"]?.text ?? ""] = person[member: "name"]?.text
        }
        let canScore = request.principal.has(IncidentOpsPermissions.qaReview)
        var perAnalyst: [String: (count: Int, done: Int, total: Double)] = [:]
        let rows: [JSONValue] = reviews.map { review in
            let analyst = names[review[member: "analystId"]?.text ?? ""] ?? String((review[member: "analystId"]?.text ?? "").prefix(8))
            let done = review[member: "state"]?.text == "done"
            let score = review[member: "score"]?.doubleValue
            perAnalyst[analyst, default: (0, 0, 0)].count += 1
            if done, let score {
                perAnalyst[analyst, default: (0, 0, 0)].done += 1
                perAnalyst[analyst, default: (0, 0, 0)].total += score
            }
            let id = review[member: "id"]?.text ?? ""
            let given = review[member: "scores"]
            return .object([
                "id": .string(id), "analyst": .string(analyst), "done": .bool(done),
                "caseHref": .string("\(CasePages.base)/\(review[member: "caseId"]?.text ?? "")"),
                "caseShort": .string(String((review[member: "caseId"]?.text ?? "").prefix(8))),
                "score": .string(score.map { String(format: "%.0f", $0) } ?? "–"), "comment": review[member: "comment"] ?? .null,
                "reviewer": .string(ConsoleRequest.person(review[member: "reviewer"]?.text)),
                "reviewedLocal": .string(request.localTime(review[member: "reviewedAt"], zone: zone) ?? ""),
                "canScore": .bool(canScore && !done),
                "criteria": .array(
                    QAReview.criteria.map { criterion in
                        let value = given?[member: criterion]?.intValue
                        return .object([
                            "name": .string(criterion), "label": .string(request.text("qa-criterion-\(criterion)")),
                            "value": .string(value.map(String.init) ?? "–"),
                            "options": .array((0...5).map { .object(["value": .integer(Int64($0)), "selected": .bool($0 == 3)]) }),
                        ])
                    }),
            ])
        }
        let summary: [JSONValue] = perAnalyst.keys.sorted().map { analyst in
            let figures = perAnalyst[analyst]!
            return .object([
                "analyst": .string(analyst), "sampled": .integer(Int64(figures.count)), "done": .integer(Int64(figures.done)),
                "mean": .string(figures.done == 0 ? "–" : String(format: "%.0f", figures.total / Double(figures.done))),
            ])
        }
        let monday = day.adding(days: -(day.isoWeekday - 1))
        let data: [String: JSONValue] = [
            "region": .string(region), "week": .string(monday.description),
            "regionOptions": try await request.regionOptions(selected: region),
            "reviews": .array(rows), "hasReviews": .bool(!rows.isEmpty), "summary": .array(summary),
            "canSample": .bool(canScore),
        ]
        return .page(ConsoleView("qa", title: "qa-title", data: data, titleDetail: chosen.name))
    }
}
