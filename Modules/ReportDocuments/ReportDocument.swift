import CSVCoding
import Foundation
import JSONCoding
import TextEscaping

/// A report as tables with optional bar charts, rendered the same way by every domain: JSON (this
/// value), CSV (one block per section) and HTML with inline SVG charts.
public struct ReportDocument: Codable, Sendable {
    public let title: String
    public let subtitle: String
    public let sections: [ReportSection]

    public init(title: String, subtitle: String, sections: [ReportSection]) {
        self.title = title
        self.subtitle = subtitle
        self.sections = sections
    }

    /// Each section as a block: its title line, its header, its rows, then a blank line.
    public var csv: String {
        var text = ""
        for section in sections {
            text += CSV.line([section.title])
            text += CSV.line(section.columns)
            for row in section.rows { text += CSV.line(row) }
            text += "\n"
        }
        return text
    }

    public var html: String {
        var body = "<h1>\(ReportHTML.escape(title))</h1><p>\(ReportHTML.escape(subtitle))</p>"
        for section in sections {
            body += "<h2>\(ReportHTML.escape(section.title))</h2>"
            if let chart = section.chart, !section.rows.isEmpty {
                let values = section.rows.prefix(30).map { row -> (String, Double) in
                    (
                        row.indices.contains(chart.labelColumn) ? row[chart.labelColumn] : "",
                        Double(row.indices.contains(chart.valueColumn) ? row[chart.valueColumn] : "").flatMap { $0.isFinite ? $0 : nil } ?? 0
                    )
                }
                body += ReportHTML.bars(chart.title, values) { value in
                    value == value.rounded() ? JSONNumberText.textOrNull(value) : String(format: "%.2f", value)
                }
            }
            if section.rows.isEmpty {
                body += "<p>Nothing to show.</p>"
            } else {
                body += "<table><tr>" + section.columns.map { "<th>\(ReportHTML.escape($0))</th>" }.joined() + "</tr>"
                for row in section.rows { body += "<tr>" + row.map { "<td>\(ReportHTML.escape($0))</td>" }.joined() + "</tr>" }
                body += "</table>"
            }
        }
        return ReportHTML.page(title: title, body: body)
    }
}

public struct ReportSection: Codable, Sendable {
    public struct Chart: Codable, Sendable {
        public let title: String
        public let labelColumn: Int
        public let valueColumn: Int

        public init(title: String, labelColumn: Int, valueColumn: Int) {
            self.title = title
            self.labelColumn = labelColumn
            self.valueColumn = valueColumn
        }
    }

    public let title: String
    public let columns: [String]
    public let rows: [[String]]
    public let chart: Chart?

    public init(title: String, columns: [String], rows: [[String]], chart: Chart? = nil) {
        self.title = title
        self.columns = columns
        self.rows = rows
        self.chart = chart
    }
}

/// HTML pieces of server-rendered reports.
public enum ReportHTML {
    public static func escape(_ text: String) -> String {
        HTMLText.escape(text)
    }

    public static func page(title: String, body: String) -> String {
        """
        <!doctype html><html lang="en"><head><meta charset="utf-8"><title>\(escape(title))</title>
        <style>body{font-family:system-ui,sans-serif;max-width:960px;margin:2rem auto}td,th{padding:2px 10px;text-align:left}table{border-collapse:collapse}tr:nth-child(even){background:#f4f6f8}</style></head><body>
        \(body)
        </body></html>
        """
    }

    /// A horizontal bar chart as inline SVG.
    public static func bars(_ title: String, _ values: [(String, Double)], format: (Double) -> String) -> String {
        let maximum = max(values.map(\.1).filter(\.isFinite).max() ?? 1, 1e-9)
        let rowHeight = 22
        let height = rowHeight * max(values.count, 1) + 30
        var svg =
            "<figure><figcaption>\(escape(title))</figcaption><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"560\" height=\"\(height)\" role=\"img\" aria-label=\"\(escape(title))\">"
        for (index, (label, value)) in values.enumerated() {
            let y = 10 + index * rowHeight
            // Cells are text read back as numbers: a non-finite or huge one draws no bar, not a trap.
            let ratio = max(0, value) / maximum
            let width = ratio.isFinite ? Int(300 * min(ratio, 1)) : 0
            svg += "<text x=\"0\" y=\"\(y + 15)\" font-size=\"12\">\(escape(label))</text>"
            svg += "<rect x=\"170\" y=\"\(y + 3)\" width=\"\(width)\" height=\"16\" fill=\"#2f6db5\"/>"
            svg += "<text x=\"\(176 + width)\" y=\"\(y + 15)\" font-size=\"12\">\(escape(format(value)))</text>"
        }
        return svg + "</svg></figure>"
    }
}
