import Foundation

/// A region every record belongs to, as an ISO 3166-2 style code: `BR-SP`, `MX-CMX`, `BR`.
public struct RegionCode: Hashable, Sendable, Comparable, Codable, CustomStringConvertible {
    public let rawValue: String

    public init?(_ raw: String) {
        // ASCII first: "ß".uppercased() is "SS", which would pass as a code nobody typed.
        guard raw.utf8.allSatisfy({ $0 < 0x80 }) else { return nil }
        let upper = raw.uppercased()
        guard RegionCode.isValid(upper) else { return nil }
        rawValue = upper
    }

    /// A code read back from storage, where it was validated on the way in.
    public init(stored raw: String) {
        rawValue = raw
    }

    public init(from decoder: any Decoder) throws {
        let raw = try decoder.singleValueContainer().decode(String.self)
        guard let code = RegionCode(raw) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "'\(raw)' \(RegionCode.rule)"))
        }
        self = code
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    /// Two letters, optionally a dash and one to three letters or digits.
    public static func isValid(_ raw: String) -> Bool {
        let parts = raw.split(separator: "-", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), parts[0].count == 2, parts[0].allSatisfy({ $0.isASCII && $0.isUppercase }) else { return false }
        if parts.count == 2 {
            return (1...3).contains(parts[1].count) && parts[1].allSatisfy { $0.isASCII && ($0.isUppercase || $0.isNumber) }
        }
        return true
    }

    public var description: String { rawValue }
    public static func < (lhs: RegionCode, rhs: RegionCode) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The one message for a code that is not one, on every page, endpoint and command.
    public static let rule = "must be a region code like BR-SP"

    /// The code, or the field's format problem (a 422 on HTTP, a usage error on the CLI).
    public static func parse(_ text: String, field: String = "region") throws(VigilError) -> RegionCode {
        guard let code = RegionCode(text) else { throw VigilError.invalid(field, .format, rule) }
        return code
    }
}

extension Validator {
    /// Reads a region code, noting the field's problem when it is not one.
    public mutating func region(_ text: String, _ field: String = "region") -> RegionCode? {
        let code = RegionCode(text)
        check(code != nil, field, .format, RegionCode.rule)
        return code
    }
}
