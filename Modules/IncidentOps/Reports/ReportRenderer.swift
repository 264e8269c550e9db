import Calendars
import CSVCoding
import Foundation
import Kernel
import ReportDocuments

/// CSV and HTML (with server-rendered SVG charts) forms of a desk report.
public enum ReportRenderer {
    public static func csv(_ report: DeskReport) -> String {
        ([["metric", "dimension", "value"]] + rows(report)).map(CSV.line).joined()
    }

    /// The report as (metric, dimension, value) rows: one source for the CSV and the CLI's table.
    public static func rows(_ report: DeskReport) -> [[String]] {
        var lines: [[String]] = []
        func add(_ metric: String, _ dimension: String, _ value: String) { lines.append([metric, dimension, value]) }
        func share(_ value: Double?) -> String { value.map { String(format: "%.4f", $0) } ?? "" }
        add("opened", "all", String(report.opened))
        for (key, value) in report.byBusinessLine.sorted(by: { $0.key < $1.key }) { add("opened", "businessLine=\(key)", String(value)) }
        for (key, value) in report.byCategory.sorted(by: { $0.key < $1.key }) { add("opened", "category=\(key)", String(value)) }
        for (key, value) in report.bySeverity.sorted(by: { $0.key < $1.key }) { add("opened", "severity=\(key)", String(value)) }
        for (key, value) in report.byShift.sorted(by: { $0.key < $1.key }) { add("opened", "shift=\(key)", String(value)) }
        add("mtta_median_seconds", "all", report.acknowledge.medianSeconds.map(String.init) ?? "")
        add("mtta_p90_seconds", "all", report.acknowledge.p90Seconds.map(String.init) ?? "")
        add("mttr_median_seconds", "all", report.resolve.medianSeconds.map(String.init) ?? "")
        add("mttr_p90_seconds", "all", report.resolve.p90Seconds.map(String.init) ?? "")
        for (key, value) in report.slaAttainment.sorted(by: { $0.key < $1.key }) { add("sla_attainment", "clock=\(key)", share(value.share)) }
        for (key, value) in report.backlogByAge.sorted(by: { $0.key < $1.key }) { add("backlog", "age=\(key)", String(value)) }
        add("reopen_rate", "all", share(report.reopenRate.share))
        add("escalation_rate", "all", share(report.escalationRate.share))
        add("sop_on_time", "all", share(report.sopOnTime.share))
        for (key, value) in report.sopByStep.sorted(by: { $0.key < $1.key }) { add("sop_on_time", "step=\(key)", share(value.share)) }
        for (key, value) in report.sopByAnalyst.sorted(by: { $0.key < $1.key }) { add("sop_on_time", "analyst=\(key)", share(value.share)) }
        for (key, value) in report.sopByShift.sorted(by: { $0.key < $1.key }) { add("sop_on_time", "shift=\(key)", share(value.share)) }
        for analyst in report.analysts {
            add("assigned", "analyst=\(analyst.analyst)", String(analyst.assigned))
            add("resolved", "analyst=\(analyst.analyst)", String(analyst.resolved))
            add("sla_breaches", "analyst=\(analyst.analyst)", String(analyst.slaBreaches))
        }
        return lines
    }

    public static func html(_ report: DeskReport) -> String {
        func minutes(_ seconds: Int64?) -> String { seconds.map { String(format: "%.1f min", Double($0) / 60) } ?? "–" }
        let counts: ([String: Int]) -> [(String, Double)] = { $0.sorted { $0.key < $1.key }.map { ($0.key, Double($0.value)) } }
        let attainment = report.slaAttainment.sorted { $0.key < $1.key }.map { ($0.key, ($0.value.share ?? 0) * 100) }
        return """
            <!doctype html><html lang="en"><head><meta charset="utf-8"><title>Desk report \(ReportHTML.escape(report.region ?? "all regions"))</title>
            <style>body{font-family:system-ui,sans-serif;max-width:760px;margin:2rem auto}td,th{padding:2px 10px;text-align:left}</style></head><body>
            <h1>Desk report — \(ReportHTML.escape(report.region ?? "all regions"))</h1>
            <p>\(ISO8601.format(report.from)) to \(ISO8601.format(report.to)): \(report.opened) cases opened.</p>
            <table><tr><th>MTTA median / p90</th><td>\(minutes(report.acknowledge.medianSeconds)) / \(minutes(report.acknowledge.p90Seconds))</td></tr>
            <tr><th>MTTR median / p90</th><td>\(minutes(report.resolve.medianSeconds)) / \(minutes(report.resolve.p90Seconds))</td></tr>
            <tr><th>Reopen rate</th><td>\(report.reopenRate.share.map { String(format: "%.1f%%", $0 * 100) } ?? "–")</td></tr>
            <tr><th>Escalation rate</th><td>\(report.escalationRate.share.map { String(format: "%.1f%%", $0 * 100) } ?? "–")</td></tr>
            <tr><th>SOP on time</th><td>\(report.sopOnTime.share.map { String(format: "%.1f%%", $0 * 100) } ?? "–")</td></tr></table>
            \(ReportHTML.bars("Cases by category", counts(report.byCategory)) { String(Int($0)) })
            \(ReportHTML.bars("Cases by severity", counts(report.bySeverity)) { String(Int($0)) })
            \(ReportHTML.bars("Cases by shift", counts(report.byShift)) { String(Int($0)) })
            \(ReportHTML.bars("SLA attainment by clock (%)", attainment) { String(format: "%.1f%%", $0) })
            \(ReportHTML.bars("Backlog by age", counts(report.backlogByAge)) { String(Int($0)) })
            </body></html>
            """
    }
}
