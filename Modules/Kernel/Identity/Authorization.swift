import Foundation

/// The authorization rules domains apply, in one place so that every domain answers the same way:
/// a missing permission is 403; a record of a region the principal cannot see is 404, so that its
/// existence does not leak.
public struct Authorization: Sendable {
    public let roles: RoleCatalog

    public init(roles: RoleCatalog) { self.roles = roles }

    public func require(_ principal: Principal, _ permission: Permission) throws(VigilError) {
        try principal.require(permission)
    }

    /// For writes into a region the principal names themselves (creating a record): 403.
    public func requireRegion(_ principal: Principal, _ region: RegionCode) throws(VigilError) {
        guard principal.canAccess(region) else {
            throw VigilError(.forbidden, "you may not act on records of region \(region)")
        }
    }

    /// For a record a request names as a reference (the site of a new ticket, the cost center of
    /// an expense): one that does not exist and one in a region the principal cannot see get the
    /// same 422 with the same words, so the answer does not tell which sites exist where.
    public func referenced<Record>(
        _ record: Record?, region: (Record) -> RegionCode, by principal: Principal,
        field: String, _ refusal: @autoclosure () -> String
    ) throws(VigilError) -> Record {
        guard let record, principal.canAccess(region(record)) else { throw VigilError.invalid(field, .notAllowed, refusal()) }
        return record
    }

    /// For a person put on a desk to take work (an IT agent, an incident analyst): their roles must
    /// grant the permission the work needs and they must work in the region, or the work assigned
    /// to them would sit where they cannot reach it.
    public func requireWorker(_ person: Person, can permission: Permission, in region: RegionCode, field: String = "email") throws(VigilError) {
        var validator = Validator()
        validator.check(
            roles.permissions(of: person.roles).contains(permission), field, .notAllowed,
            "\(person.email) has no role that may do this work (\(permission)); give them one first")
        validator.check(person.regions.contains(region), field, .notAllowed, "\(person.email) does not work in \(region)")
        try validator.finish()
    }

    /// For records found by id: a record outside the principal's regions does not exist for them.
    public func requireVisible(_ principal: Principal, region: RegionCode, entity: String) throws(VigilError) {
        guard principal.canAccess(region) else { throw VigilError.notFound(entity) }
    }
}
