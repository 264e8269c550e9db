import Foundation
import JSONCoding
import Kernel

/// The desk report for managers and coordinators: a region's period at a glance (volumes,
/// response times, SLA attainment, SOP adherence, backlog, each analyst), drawn as charts with
/// their figures beside them, and the same report as CSV for a spreadsheet.
struct ReportPages {
    static let base = "/console/incident-ops/reports"
    static let periods = ["shift", "day", "week", "month"]
    static let ages = ["under 1h", "1-4h", "4-24h", "over 24h"]

    var all: [ConsolePage] {
        [
            .get("/reports", permission: IncidentOpsPermissions.reportRead, navigation: ConsoleNavigation("nav-reports", order: 60), handler: show),
            .get("/reports/desk.csv", permission: IncidentOpsPermissions.reportRead, handler: csv),
        ]
    }

    /// The region and period asked for (the viewer's first region and a week by default).
    func choice(_ request: ConsoleRequest) async throws -> (region: String, name: String, period: String) {
        let chosen = try await request.chosenRegion()
        let period = request.query["period"].flatMap { Self.periods.contains($0) ? $0 : nil } ?? "week"
        return (chosen.code.rawValue, chosen.name, period)
    }

    func csv(_ request: ConsoleRequest) async throws -> ConsoleResponse {
        let (region, _, period) = try await choice(request)
        let response = try await request.endpoints.call(
            "deskReport", path: [:], query: ["region": region, "period": period, "format": "csv"], body: nil, ifMatch: nil, idempotencyKey: nil)
        return .download(contentType: "text/csv; charset=utf-8", filename: "desk-report-\(region)-\(period).csv", body: response.body)
    }

    func show(_ request: ConsoleRequest) async throws -> ConsoleResponse {
        let (region, name, period) = try await choice(request)
        let report = try await request.read("deskReport", query: ["region": region, "period": period])
        let zone = try await request.regionZones()[region]
        let locale = request.locale
        let counts = { (member: String, label: (String) -> String, order: [String]?) -> [ConsoleChart.Point] in
            guard case .object(let values)? = report[member: member] else { return [] }
            let keys = order ?? values.keys.sorted()
            return keys.map { key in
                let count = values[key]?.intValue ?? 0
                return ConsoleChart.Point(label(key), Double(count), text: locale.number(count))
            }
        }
        let duration = { (member: String, part: String) -> String in
            report[member: member]?[member: part]?.intValue.map { locale.duration(seconds: $0) } ?? "–"
        }
        let share = { (value: JSONValue?) -> (Double, String)? in
            guard let total = value?[member: "total"]?.intValue, total > 0, let hits = value?[member: "hits"]?.intValue else { return nil }
            let fraction = Double(hits) / Double(total)
            return (fraction, locale.percent(fraction))
        }
        var attainment: [ConsoleChart.Point] = []
        if case .object(let clocks)? = report[member: "slaAttainment"] {
            for kind in ["acknowledge", "first-action", "resolve"] {
                guard let clock = clocks[kind], let total = clock[member: "clocks"]?.intValue, total > 0 else { continue }
                let fraction = Double(clock[member: "met"]?.intValue ?? 0) / Double(total)
                attainment.append(ConsoleChart.Point(request.text("report-clock-\(kind)"), fraction * 100, text: locale.percent(fraction)))
            }
        }
        var sopByStep: [ConsoleChart.Point] = []
        if case .object(let steps)? = report[member: "sopByStep"] {
            for key in steps.keys.sorted() {
                if let (fraction, text) = share(steps[key]) { sopByStep.append(ConsoleChart.Point(key, fraction * 100, text: text)) }
            }
        }
        let analysts: [JSONValue] =
            report[member: "analysts"]?.items.map { analyst in
                .object([
                    "name": .string(ConsoleRequest.person(analyst[member: "analyst"]?.text)),
                    "assigned": .string(locale.number(analyst[member: "assigned"]?.intValue ?? 0)),
                    "resolved": .string(locale.number(analyst[member: "resolved"]?.intValue ?? 0)),
                    "resolveMedian": .string(analyst[member: "resolve"]?[member: "medianSeconds"]?.intValue.map { locale.duration(seconds: $0) } ?? "–"),
                    "breaches": .string(locale.number(analyst[member: "slaBreaches"]?.intValue ?? 0)),
                ])
            } ?? []
        let from = report[member: "from"].flatMap { request.localTime($0, zone: zone) } ?? ""
        let to = report[member: "to"].flatMap { request.localTime($0, zone: zone) } ?? ""
        let query = "region=\(ConsoleRequest.pathSegment(region))&period=\(period)"
        let data: [String: JSONValue] = [
            "regionOptions": try await request.regionOptions(selected: region),
            "periodOptions": request.options("period", Self.periods, selected: period),
            "from": .string(from), "to": .string(to), "csvHref": .string("\(Self.base)/desk.csv?\(query)"),
            "opened": .string(locale.number(report[member: "opened"]?.intValue ?? 0)),
            "ackMedian": .string(duration("acknowledge", "medianSeconds")), "ackP90": .string(duration("acknowledge", "p90Seconds")),
            "resolveMedian": .string(duration("resolve", "medianSeconds")), "resolveP90": .string(duration("resolve", "p90Seconds")),
            "reopenRate": .string(share(report[member: "reopenRate"])?.1 ?? "–"),
            "escalationRate": .string(share(report[member: "escalationRate"])?.1 ?? "–"),
            "sopOnTime": .string(share(report[member: "sopOnTime"])?.1 ?? "–"),
            "charts": .array([
                ConsoleChart.bars(
                    id: "chart-category", title: request.text("report-by-category"),
                    counts("byCategory", { request.text("value-category-\($0)") }, nil)),
                ConsoleChart.bars(
                    id: "chart-severity", title: request.text("report-by-severity"), counts("bySeverity", { $0 }, ["S1", "S2", "S3", "S4"])),
                ConsoleChart.bars(
                    id: "chart-shift", title: request.text("report-by-shift"),
                    counts("byShift", { request.text("report-shift-\($0)") }, ["night", "day", "evening"])),
                ConsoleChart.bars(
                    id: "chart-backlog", title: request.text("report-backlog"),
                    counts("backlogByAge", { request.text("report-age-\($0.replacingOccurrences(of: " ", with: "-"))") }, Self.ages)),
                ConsoleChart.bars(id: "chart-sla", title: request.text("report-sla-attainment"), attainment),
                ConsoleChart.bars(id: "chart-sop-step", title: request.text("report-sop-by-step"), sopByStep),
            ]),
            "analysts": .array(analysts), "hasAnalysts": .bool(!analysts.isEmpty),
        ]
        return .page(ConsoleView("reports", title: "reports-title", data: data, titleDetail: name))
    }
}
