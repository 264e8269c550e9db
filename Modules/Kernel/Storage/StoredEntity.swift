import Foundation
import SQLKit

/// The shape most records of a domain have: one row per record in the domain's table, a region,
/// a version, an audit trail. Declaring it gives the plumbing every such entity otherwise copies
/// (`DomainContext.list` and `get`, `Transaction.create` and `update`): the read permission,
/// region scoping (another region's records are absent from pages and 404 by id), keyset pages,
/// optimistic versions, and an audit record with the changed fields. The domain writes its rules.
///
/// Its row is derived from its `Codable` conformance (`RowDecoder`, `StoredRow.storedFields`):
/// properties in camelCase are columns in snake_case. Two column names carry a convention:
/// `created_at` orders lists newest first (unless `listOrder` says otherwise) and `updated_at`,
/// when the entity has it, is set to the transaction's instant by every `update`.
public protocol StoredEntity: StoredRow, Codable, Sendable, Versioned {
    /// The domain's table: `noticeboard_notices`.
    static var table: String { get }
    /// The audit log's entity type, `noticeboard.notice`; its last part names a record in messages.
    static var entityType: String { get }
    /// What reading a record takes.
    static var readPermission: Permission { get }
    /// The order of pages; the last column must be unique. Newest first unless the entity says.
    static var listOrder: [KeysetColumn] { get }
    /// The fields a table of these records shows on the command line (`ListCommand`).
    static var tableColumns: [String] { get }

    var id: String { get }
    var region: RegionCode { get }
    var version: Int { get }
}

extension StoredEntity {
    public static var listOrder: [KeysetColumn] { [.descending("created_at"), .descending("id")] }

    public static var tableColumns: [String] { ["id", "region"] }

    /// `notice`: the last part of the entity type, as messages name a record.
    public static var entityName: String { entityType.split(separator: ".").last.map(String.init) ?? entityType }

    /// The domain the entity belongs to: the first part of its entity type.
    public static var domain: DomainID { DomainID(String(entityType.prefix { $0 != "." })) }

    /// `notice 0192…`
    static func named(_ id: String) -> String { "\(entityName) \(id)" }

    static func find(_ id: String, on sql: any SQLDatabase) async throws -> Self? {
        try await sql.select().column(SQLRaw(columns)).from(table).where("id", .equal, id).first().map(Self.init(row:))
    }

    /// The keyset cursor after this record, from its stored values of the order's columns.
    func cursor() throws -> Cursor {
        let fields = Dictionary(try storedFields(), uniquingKeysWith: { first, _ in first })
        return Cursor(
            try Self.listOrder.map { column in
                switch fields[column.name] {
                case .integer(let number): .integer(number)
                case .text(let text): .text(text)
                default: throw VigilError(.internal, "\(Self.self) orders by \(column.name), which is not an integer or text column")
                }
            })
    }
}

extension DomainContext {
    /// A page of `Entity`, in its `listOrder`, of one region or of all the principal's, with
    /// `filter` narrowing it further (a status, a flag). Records of other regions are not in it,
    /// nor counted in it.
    public func list<Entity: StoredEntity>(
        _ type: Entity.Type, region: RegionCode? = nil, page: PageRequest, by principal: Principal,
        filter: (SQLSelectBuilder) -> Void = { _ in }
    ) async throws -> Page<Entity> {
        try principal.require(Entity.readPermission)
        let select = database.sql.select().column(SQLRaw(Entity.columns)).from(Entity.table)
        if let region { select.where("region", .equal, region.rawValue) }
        if let regions = principal.regions.filter { select.where("region", .in, regions.map(\.rawValue)) }
        filter(select)
        let rows = try await select.keyset(Entity.listOrder, after: page.after, limit: page.limit).all()
        return try rows.map(Entity.init(row:)).page(limit: page.limit) { try $0.cursor() }
    }

    /// One record by id; 404 when it does not exist or is in a region the principal cannot see.
    public func get<Entity: StoredEntity>(_ type: Entity.Type, _ id: String, by principal: Principal) async throws -> Entity {
        try principal.require(Entity.readPermission)
        guard let entity = try await Entity.find(id, on: database.sql) else { throw VigilError.notFound(Entity.named(id)) }
        try authorization.requireVisible(principal, region: entity.region, entity: Entity.named(id))
        return entity
    }
}

extension Transaction {
    /// Writes a new record and its audit record (`action`, every field as created).
    public func create<Entity: StoredEntity>(_ entity: Entity, action: String) async throws -> Entity {
        try await sql.insert(into: Entity.table).record(entity).run()
        try await audit(
            AuditEntry(
                action: action, entity: EntityRef(Entity.entityType, entity.id), region: entity.region,
                changes: try FieldChange.diff(before: Entity?.none, after: entity), isCreation: true))
        return entity
    }

    /// Writes the columns that differ between `before` (as read) and `after`, if the row is still
    /// at `expectedVersion`, and audits the fields that changed. A stale version is a 412 that
    /// writes nothing. Returns the record as stored, with its new version.
    public func update<Entity: StoredEntity>(_ before: Entity, to after: Entity, expectedVersion: Int, action: String) async throws -> Entity {
        // `before` is what the change was computed from: if it is not the version the client saw,
        // the columns it would write were worked out from another state of the record.
        guard before.version == expectedVersion else { throw VigilError.stale(expected: expectedVersion, current: before.version) }
        var new = try after.storedFields()
        // The change's instant, for an entity that keeps one: every update stamps it.
        if let stamp = new.firstIndex(where: { $0.column == "updated_at" }) { new[stamp].value = .integer(now.epochMicros) }
        let changed = zip(try before.storedFields(), new).filter { $0.value != $1.value && !["id", "version"].contains($0.column) }
        _ = try await updateVersioned(
            table: Entity.table, id: before.id, expectedVersion: expectedVersion, entity: Entity.named(before.id),
            assignments: changed.map { (column: $1.column, value: $1.value.bind) })
        let stored = try await Entity.find(before.id, on: sql).orInternal(Entity.named(before.id))
        try await audit(
            AuditEntry(
                action: action, entity: EntityRef(Entity.entityType, before.id), region: stored.region,
                changes: try FieldChange.diff(before: before, after: stored)))
        return stored
    }
}
