import Foundation
import Kernel
import VigilStorage

/// One audit record as a given reader may see it.
public struct AuditView: Sendable, Codable, Hashable {
    public let sequence: Int64
    public let id: String
    public let at: Date
    public let domain: String
    public let actor: String
    public let channel: String
    public let action: String
    public let entity: String
    public let region: String?
    /// Field names always; values only when the reader may read the record itself.
    public let changes: [FieldChange]
    public let requestId: String
    public let reason: String?
    public let hash: String
    public let previousHash: String?
    /// True when values and reason were withheld (see `AuditAccess.redacted`).
    public let redacted: Bool

    init(_ record: AuditRecord, redacted: Bool) {
        sequence = record.sequence
        id = record.id
        at = record.date
        domain = record.domain
        actor = record.actor
        channel = record.channel
        action = record.action
        entity = "\(record.entityType)/\(record.entityID)"
        region = record.region
        changes = redacted ? record.fieldChanges.map { FieldChange(field: $0.field, before: nil, after: nil) } : record.fieldChanges
        requestId = record.requestID
        reason = redacted ? nil : record.reason
        hash = record.hash
        previousHash = record.previousHash
        self.redacted = redacted
    }
}

/// Every read of the audit log goes through here (the API, the CLI, the console), so that what a
/// reader sees of a record follows one rule: records of regions outside the reader's are left
/// out, as the records themselves are; records of entities the owning domain restricts (a
/// sensitive incident) show who did what and when, without values, to readers who may not read
/// the entity; and a human reference (`INC-2026-000001`) finds its entity's records.
public struct AuditReader: Sendable {
    let log: AuditLog
    let entities: [String: AuditedEntity]

    init(log: AuditLog, modules: [any DomainModule]) {
        self.log = log
        var entities: [String: AuditedEntity] = [:]
        for module in modules {
            for entity in module.auditedEntities() { entities[entity.type] = entity }
        }
        self.entities = entities
    }

    /// The timeline of one entity, named by id or by human reference, oldest first.
    public func timeline(of entity: EntityRef, for principal: Principal, limit: Int = 1_000) async throws -> [AuditView] {
        try principal.require(PlatformPermissions.auditRead)
        var target = entity
        var records = try await log.timeline(of: target, limit: limit)
        if records.isEmpty, let resolve = entities[entity.type]?.resolve, let id = try await resolve(entity.id) {
            target = EntityRef(entity.type, id)
            records = try await log.timeline(of: target, limit: limit)
        }
        guard !records.isEmpty else { return [] }
        let access = try await access(to: target, for: principal)
        var views: [AuditView] = []
        for record in records {
            if let view = try await view(record, access: access, for: principal) { views.append(view) }
        }
        return views
    }

    /// The latest records of all entities, newest first, each as the reader may see it.
    public func recent(for principal: Principal, limit: Int) async throws -> [AuditView] {
        try principal.require(PlatformPermissions.auditRead)
        var accessByEntity: [EntityRef: AuditAccess] = [:]
        var views: [AuditView] = []
        for record in try await log.recent(limit: limit) {
            let entity = EntityRef(record.entityType, record.entityID)
            let access: AuditAccess
            if let known = accessByEntity[entity] {
                access = known
            } else {
                access = try await self.access(to: entity, for: principal)
                accessByEntity[entity] = access
            }
            if let view = try await view(record, access: access, for: principal) { views.append(view) }
        }
        return views
    }

    private func access(to entity: EntityRef, for principal: Principal) async throws -> AuditAccess {
        guard let rule = entities[entity.type] else { return .full }
        return try await rule.access(entity.id, principal)
    }

    private func view(_ record: AuditRecord, access entityAccess: AuditAccess, for principal: Principal) async throws -> AuditView? {
        // Records of regions the caller cannot see are left out; an unreadable region counts as unseen.
        if let region = record.region {
            guard let code = RegionCode(region), principal.canAccess(code) else { return nil }
        }
        var access = entityAccess
        if access == .full, let recordAccess = entities[record.entityType]?.recordAccess {
            access = try await recordAccess(record.action, record.fieldChanges, principal)
        }
        switch access {
        case .hidden: return nil
        case .redacted: return AuditView(record, redacted: true)
        case .full: return AuditView(record, redacted: false)
        }
    }
}
