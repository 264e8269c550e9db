import Foundation

/// What a reader of the audit log may see of one entity's records.
public enum AuditAccess: Sendable, Hashable {
    /// Every field: the reader may read the record itself.
    case full
    /// Who did what and when, and which fields changed, but not the values nor the reason typed
    /// with the change: the reader may audit the record but not read it (a sensitive incident
    /// for an auditor without sensitive access).
    case redacted
    /// Nothing, not even that the entity exists (another region's record).
    case hidden
}

/// How a domain's entities appear in the audit log. The audit log is shared, but only the domain
/// knows who may read one of its records and what its human references mean, so it tells the
/// host through this; every reader of the log (API, CLI, console) applies it the same way.
public struct AuditedEntity: Sendable {
    /// `incident-ops.case`
    public let type: String
    /// The entity id a human reference names (`INC-2026-000001`), nil if none does.
    public let resolve: @Sendable (_ reference: String) async throws -> String?
    /// What `principal` may see of the records of entity `id` (region scoping included).
    public let access: @Sendable (_ id: String, _ principal: Principal) async throws -> AuditAccess
    /// For a record that names another record in its values (a link to another case): what
    /// `principal` may see of it, at most what `access` allows. Nil: records follow `access`.
    public let recordAccess: (@Sendable (_ action: String, _ changes: [FieldChange], _ principal: Principal) async throws -> AuditAccess)?

    public init(
        type: String,
        resolve: @escaping @Sendable (_ reference: String) async throws -> String?,
        access: @escaping @Sendable (_ id: String, _ principal: Principal) async throws -> AuditAccess,
        recordAccess: (@Sendable (_ action: String, _ changes: [FieldChange], _ principal: Principal) async throws -> AuditAccess)? = nil
    ) {
        self.type = type
        self.resolve = resolve
        self.access = access
        self.recordAccess = recordAccess
    }
}
