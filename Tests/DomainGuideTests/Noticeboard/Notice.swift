import Foundation
import Kernel

/// A notice on a region's board. As a `StoredEntity`, its row (a column per property, in
/// snake_case), its schema in /openapi.json, its list, read, create and update come from this
/// declaration.
public struct Notice: StoredEntity, Equatable {
    public static let table = "noticeboard_notices"
    public static let entityType = "noticeboard.notice"
    public static let readPermission = NoticeboardModule.read
    public static let tableColumns = ["id", "region", "pinned", "title"]

    public internal(set) var id: String
    public internal(set) var region: RegionCode
    public internal(set) var title: String
    public internal(set) var body: String
    public internal(set) var pinned: Bool
    public internal(set) var createdAt: Date
    public internal(set) var updatedAt: Date
    public internal(set) var version: Int
}

/// What `POST /notices` takes; its schema is derived from it (`Schema.of`).
public struct NoticeInput: Codable, Sendable {
    public var region: RegionCode
    public var title: String
    public var body: String
    public var pinned: Bool?
}

/// What `PATCH /notices/{id}` takes: the fields to change.
public struct NoticeChange: Codable, Sendable {
    public var title: String?
    public var body: String?
    public var pinned: Bool?
}
