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

    /// For records found by id: a record outside the principal's regions does not exist for them.
    public func requireVisible(_ principal: Principal, region: RegionCode, entity: String) throws(VigilError) {
        guard principal.canAccess(region) else { throw VigilError.notFound(entity) }
    }
}
