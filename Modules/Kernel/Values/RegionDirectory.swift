import Foundation

/// A region as data: its clock, language and money. Records belong to regions; users are scoped
/// to them.
public struct RegionInfo: Sendable, Codable, Hashable {
    public let code: RegionCode
    public let name: String
    public let timeZone: String
    public let locale: String
    public let currency: String
    /// Local dates (YYYY-MM-DD) that are not working days.
    public let holidays: [String]

    public init(code: RegionCode, name: String, timeZone: String, locale: String, currency: String, holidays: [String] = []) {
        self.code = code
        self.name = name
        self.timeZone = timeZone
        self.locale = locale
        self.currency = currency
        self.holidays = holidays
    }
}

/// The regions this installation serves.
public protocol RegionDirectory: Sendable {
    func region(_ code: RegionCode) async throws -> RegionInfo?
    func all() async throws -> [RegionInfo]
}

extension RegionDirectory {
    /// A region a record is written into must exist: an unknown code is a field error.
    public func require(_ code: RegionCode, field: String = "region") async throws -> RegionInfo {
        guard let info = try await region(code) else {
            let known = try await all().map(\.code.rawValue).joined(separator: ", ")
            throw VigilError.invalid(field, .notAllowed, "\(code) is not a region of this installation; known regions are \(known)")
        }
        return info
    }
}
