import Foundation
import JSONCoding
import SQLKit

/// A page of a list, with the opaque cursor of the next page (nil on the last page).
public struct Page<Item: Sendable & Encodable>: Sendable, Encodable {
    public let items: [Item]
    public let nextCursor: String?

    public init(items: [Item], nextCursor: String?) {
        self.items = items
        self.nextCursor = nextCursor
    }
}

/// What a client asks for: how many, and after which cursor.
public struct PageRequest: Sendable {
    public static let defaultLimit = 50
    public static let maximumLimit = 200

    public let limit: Int
    public let after: Cursor?

    public init(limit: Int = PageRequest.defaultLimit, after: Cursor? = nil) {
        self.limit = limit
        self.after = after
    }

    /// From `limit` and `cursor` query values, with field errors for bad ones.
    public init(limit: String?, cursor: String?) throws(VigilError) {
        var validator = Validator()
        var parsedLimit = PageRequest.defaultLimit
        if let limit {
            if let number = Int(limit), (1...PageRequest.maximumLimit).contains(number) {
                parsedLimit = number
            } else {
                validator.add("limit", .outOfRange, "must be a whole number from 1 to \(PageRequest.maximumLimit)")
            }
        }
        var parsedCursor: Cursor?
        if let cursor {
            parsedCursor = Cursor(encoded: cursor)
            validator.check(parsedCursor != nil, "cursor", .format, "is not a cursor this server issued")
        }
        try validator.finish()
        self.init(limit: parsedLimit, after: parsedCursor)
    }
}

/// The sort key of the last row of a page, opaque to clients (base64url of a JSON array).
public struct Cursor: Sendable, Hashable {
    public enum Value: Sendable, Hashable, Codable {
        case integer(Int64)
        case text(String)

        public init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let number = try? container.decode(Int64.self) { self = .integer(number) } else { self = .text(try container.decode(String.self)) }
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .integer(let number): try container.encode(number)
            case .text(let text): try container.encode(text)
            }
        }

        var bind: any Encodable & Sendable {
            switch self {
            case .integer(let number): number
            case .text(let text): text
            }
        }
    }

    public let values: [Value]

    public init(_ values: [Value]) { self.values = values }

    public init?(encoded: String) {
        var base64 = encoded.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        guard encoded.count <= 512, let data = Data(base64Encoded: base64),
            let values = try? VigilJSON.decoder.decode([Value].self, from: data), !values.isEmpty
        else { return nil }
        self.values = values
    }

    public var encoded: String {
        let data = (try? VigilJSON.encoder.encode(values)) ?? Data()
        return data.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}

/// One column of a keyset ordering.
public struct KeysetColumn: Sendable {
    public let name: String
    public let descending: Bool

    public static func descending(_ name: String) -> KeysetColumn { .init(name: name, descending: true) }
    public static func ascending(_ name: String) -> KeysetColumn { .init(name: name, descending: false) }
}

extension SQLSelectBuilder {
    /// Orders by `columns` and, when a cursor is given, keeps only the rows after it. The last column must be unique
    /// (an id), so that the order is total and no row is skipped or repeated between pages.
    @discardableResult
    public func keyset(_ columns: [KeysetColumn], after cursor: Cursor?, limit: Int) throws(VigilError) -> Self {
        if let cursor {
            guard cursor.values.count == columns.count else {
                throw VigilError.invalid("cursor", .format, "belongs to another list")
            }
            if Set(columns.map(\.descending)).count == 1 {
                // One direction for all columns: a row-value comparison, `(a, b) < (?, ?)`, which
                // both engines turn into an index range, so deep pages cost what the first does.
                let names = SQLGroupExpression(columns.map { SQLColumn($0.name) as any SQLExpression })
                let values = SQLGroupExpression(cursor.values.map { SQLBind($0.bind) as any SQLExpression })
                self.where(names, columns[0].descending ? .lessThan : .greaterThan, values)
            } else {
                self.where { outer in
                    for position in columns.indices {
                        outer.orWhere { group in
                            for earlier in 0..<position {
                                group.where(SQLColumn(columns[earlier].name), .equal, SQLBind(cursor.values[earlier].bind))
                            }
                            let column = columns[position]
                            return group.where(SQLColumn(column.name), column.descending ? .lessThan : .greaterThan, SQLBind(cursor.values[position].bind))
                        }
                    }
                    return outer
                }
            }
        }
        for column in columns {
            self.orderBy(column.name, column.descending ? .descending : .ascending)
        }
        // One row more than asked tells whether there is a next page without counting.
        self.limit(limit + 1)
        return self
    }
}

extension Array where Element: Sendable & Encodable {
    /// Cuts the extra row fetched by `keyset` and makes the next cursor from the last kept row.
    public func page(limit: Int, cursor: (Element) throws -> Cursor) rethrows -> Page<Element> {
        guard count > limit else { return Page(items: self, nextCursor: nil) }
        let kept = Array(prefix(limit))
        return Page(items: kept, nextCursor: try kept.last.map { try cursor($0).encoded })
    }
}

extension Page: JSONWritable where Item: JSONWritable {
    public func writeJSON(to buffer: inout JSONBuffer) {
        buffer.beginObject()
        buffer.key("items")
        buffer.beginArray()
        for item in items { item.writeJSON(to: &buffer) }
        buffer.endArray()
        buffer.string("nextCursor", nextCursor)
        buffer.endObject()
    }
}
