import Foundation
import JSONCoding
import Synchronization

/// Where a command writes: a table for people by default, JSON with `--json`. Tests capture it.
public final class CommandOutput: Sendable {
    public let json: Bool
    private let sink: @Sendable (String) -> Void

    public init(json: Bool, sink: @escaping @Sendable (String) -> Void = { print($0) }) {
        self.json = json
        self.sink = sink
    }

    public func line(_ text: String) { sink(text) }

    /// Prints `value` as JSON, or as the table `rows` describes.
    public func emit<Value: Encodable>(_ value: Value, table: () throws -> Table) throws {
        if json {
            sink(String(decoding: try VigilJSON.prettyEncoder.encode(value), as: UTF8.self))
        } else {
            sink(try table().rendered)
        }
    }

    /// Prints a message for people only; with `--json` the caller emits a value instead.
    public func note(_ text: String) {
        if !json { sink(text) }
    }
}

/// A plain-text table with aligned columns.
public struct Table: Sendable {
    public let headers: [String]
    public let rows: [[String]]

    public init(_ headers: [String], _ rows: [[String]]) {
        self.headers = headers
        self.rows = rows
    }

    /// A row per item with `columns`, named as the items' JSON fields (what `--json` shows):
    /// yes/no shows as "yes"/"", a list as its items joined by commas, an absent field as "".
    public static func of(_ items: [some Encodable], columns: [String]) throws -> Table {
        Table(
            columns,
            try items.map { item in
                let fields: [String: JSONValue] = if case .object(let members) = try JSONValue.encoding(item) { members } else { [:] }
                return columns.map { cell(fields[$0]) }
            })
    }

    private static func cell(_ value: JSONValue?) -> String {
        switch value {
        case .string(let text): text
        case .bool(let flag): flag ? "yes" : ""
        case .integer(let number): String(number)
        case .number(let number): String(number)
        case .array(let items): items.map(cell).joined(separator: ",")
        case .object(let members): JSONValue.object(members).jsonText
        case .null, nil: ""
        }
    }

    /// A two-column table of a record's fields.
    public static func record(_ fields: [(String, String)]) -> Table {
        Table(["field", "value"], fields.map { [$0.0, $0.1] })
    }

    public var rendered: String {
        let all = [headers] + rows
        let widths = headers.indices.map { column in all.map { $0.indices.contains(column) ? $0[column].count : 0 }.max() ?? 0 }
        func render(_ row: [String]) -> String {
            row.enumerated().map { index, cell in
                index == row.count - 1 || !widths.indices.contains(index) ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }
        let divider = widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")
        return ([render(headers.map { $0.uppercased() }), divider] + rows.map(render)).joined(separator: "\n")
    }
}

/// Collects output lines; for tests and for callers that want the text.
public final class CapturedOutput: Sendable {
    private let lines = Mutex<[String]>([])
    public init() {}
    public var sink: @Sendable (String) -> Void { { [self] line in lines.withLock { $0.append(line) } } }
    public var text: String { lines.withLock { $0.joined(separator: "\n") } }
}
