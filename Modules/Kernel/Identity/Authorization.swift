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
    public func referenced<Record>(_ record: Record?, region: (Record) -> RegionCode, by principal: Principal,
                                   field: String, _ refusal: @autoclosure () -> String) throws(VigilError) -> Record {
        guard let record, principal.canAccess(region(record)) else { throw VigilError.invalid(field, .notAllowed, refusal()) }
        return record
    }

    /// For records found by id: a record outside the principal's regions does not exist for them.
    public func requireVisible(_ principal: Principal, region: RegionCode, entity: String) throws(VigilError) {
        guard principal.canAccess(region) else { throw VigilError.notFound(entity) }
    }
}
