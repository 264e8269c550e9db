import Foundation
import Kernel

/// A notice on a region's board.
public struct Notice: Codable, Sendable, Equatable {
    public internal(set) var id: String
    public internal(set) var region: RegionCode
    public internal(set) var title: String
    public internal(set) var body: String
    public internal(set) var pinned: Bool
    public internal(set) var createdAt: Date
    public internal(set) var updatedAt: Date
    public internal(set) var version: Int
}

/// Each column once; `Notice.columns` is derived from this.
extension Notice: StoredRow {
    public init(_ row: RowReader) throws {
        id = try row["id"]
        region = try row["region"]
        title = try row["title"]
        body = try row["body"]
        pinned = try row["pinned"]
        createdAt = try row["created_at"]
        updatedAt = try row["updated_at"]
        version = try row["version"]
    }
}

public struct NoticeInput: Codable, Sendable {
    public var region: String
    public var title: String
    public var body: String
    public var pinned: Bool?
}

public struct NoticeChange: Codable, Sendable {
    public var title: String?
    public var body: String?
    public var pinned: Bool?
}

/// The request and response bodies as /openapi.json shows them (BodySchemasMatchTypes-style
/// tests send each schema's samples through the Codable types above).
enum NoticeSchemas {
    static let notice: Schema = .named(
        "Notice",
        .object([
            .required("id", .uuid), .required("region", .regionCode), .required("title", .string(maxLength: 120)),
            .required("body", .string(maxLength: 4000)), .required("pinned", .boolean), .required("createdAt", .dateTime),
            .required("updatedAt", .dateTime), .required("version", .integer(minimum: 1)),
        ]))
    static let input: Schema = .named(
        "NoticeInput",
        .object([
            .required("region", .regionCode), .required("title", .string(maxLength: 120, minLength: 1)),
            .required("body", .string(maxLength: 4000)), .optional("pinned", .boolean),
        ]))
    static let change: Schema = .named(
        "NoticeChange",
        .object([.optional("title", .string(maxLength: 120, minLength: 1)), .optional("body", .string(maxLength: 4000)), .optional("pinned", .boolean)]))
}
