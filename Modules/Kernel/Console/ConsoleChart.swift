import Foundation
import JSONCoding

/// Charts a page draws as inline SVG through the shared `chart` template: the geometry is worked
/// out here, so the template only places shapes, and the same figures go into a table beside the
/// drawing for screen readers and for copying. No script and no style attribute: the strict CSP
/// allows neither, and colours come from the stylesheet's `series-<n>` classes.
public enum ConsoleChart {
    /// One labelled figure of a series.
    public struct Point: Sendable {
        public let label: String
        public let value: Double
        public let text: String

        public init(_ label: String, _ value: Double, text: String? = nil) {
            self.label = label
            self.value = value
            self.text = text ?? ConsoleChart.plain(value)
        }
    }

    /// A named series of figures, one per category, in the categories' order.
    public struct Series: Sendable {
        public let name: String
        public let points: [Point]

        public init(_ name: String, _ points: [Point]) {
            self.name = name
            self.points = points
        }
    }

    static let width = 640.0
    static let labelWidth = 180.0
    static let barHeight = 20.0
    static let gap = 8.0
    static let plotHeight = 180.0

    /// Horizontal bars, one per point, longest to scale: counts by category, severity, age.
    public static func bars(id: String, title: String, _ points: [Point]) -> JSONValue {
        let top = max(points.map(\.value).max() ?? 0, 1)
        let room = width - labelWidth - 80
        let rows: [JSONValue] = points.enumerated().map { index, point in
            let y = Double(index) * (barHeight + gap)
            let length = max(0, point.value) / top * room
            return .object([
                "label": .string(point.label), "text": .string(point.text),
                "y": .string(plain(y)), "textY": .string(plain(y + barHeight * 0.72)),
                "x": .string(plain(labelWidth)), "labelX": .string(plain(labelWidth - 6)),
                "length": .string(plain(length)), "valueX": .string(plain(labelWidth + length + 6)),
            ])
        }
        let height = max(Double(points.count) * (barHeight + gap), barHeight)
        return .object([
            "id": .string(id), "title": .string(title), "bars": .array(rows), "isBars": .bool(true),
            "hasData": .bool(!points.isEmpty), "viewBox": .string("0 0 \(plain(width)) \(plain(height))"),
            "table": table(categories: points.map(\.label), series: [Series(title, points)]),
        ])
    }

    /// Columns per category, one per series side by side (budget against actual per month).
    public static func columns(id: String, title: String, categories: [String], series: [Series]) -> JSONValue {
        let values = series.flatMap { $0.points.map(\.value) }
        let top = max(values.max() ?? 0, 1)
        let left = 8.0
        let slot = (width - left) / Double(max(categories.count, 1))
        let columnWidth = max(2, (slot - 6) / Double(max(series.count, 1)))
        var shapes: [JSONValue] = []
        for (seriesIndex, one) in series.enumerated() {
            for (index, point) in one.points.enumerated() where index < categories.count {
                let height = max(0, point.value) / top * plotHeight
                shapes.append(
                    .object([
                        "series": .string("series-\(seriesIndex % 4)"), "label": .string("\(one.name) · \(point.label)"), "text": .string(point.text),
                        "x": .string(plain(left + Double(index) * slot + Double(seriesIndex) * columnWidth)),
                        "y": .string(plain(plotHeight - height)), "width": .string(plain(columnWidth)), "height": .string(plain(height)),
                    ]))
            }
        }
        let ticks: [JSONValue] = categories.enumerated().map { index, label in
            .object(["label": .string(label), "x": .string(plain(left + Double(index) * slot + slot / 2)), "y": .string(plain(plotHeight + 16))])
        }
        let legend: [JSONValue] = series.enumerated().map { index, one in
            .object(["name": .string(one.name), "series": .string("series-\(index % 4)")])
        }
        return .object([
            "id": .string(id), "title": .string(title), "columns": .array(shapes), "ticks": .array(ticks), "legend": .array(legend),
            "isColumns": .bool(true), "hasData": .bool(!values.isEmpty), "viewBox": .string("0 0 \(plain(width)) \(plain(plotHeight + 24))"),
            "table": table(categories: categories, series: series),
        ])
    }

    /// The figures as rows (category, then one cell per series), for the table beside the chart.
    static func table(categories: [String], series: [Series]) -> JSONValue {
        .object([
            "headings": .array(series.map { .string($0.name) }),
            "rows": .array(
                categories.enumerated().map { index, category in
                    .object([
                        "label": .string(category),
                        "cells": .array(series.map { .string(index < $0.points.count ? $0.points[index].text : "") }),
                    ])
                }),
        ])
    }

    /// A coordinate or figure without a trailing ".0" and with at most one decimal.
    static func plain(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int64(rounded)) : String(format: "%.1f", rounded)
    }
}
