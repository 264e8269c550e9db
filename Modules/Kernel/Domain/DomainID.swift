import Foundation

/// The stable identifier of a domain: its CLI group, its HTTP prefix (/api/<id>/), its config scope
/// and the namespace of its permissions, events and audit actions.
public struct DomainID: Hashable, Sendable, Comparable, Codable, CustomStringConvertible, ExpressibleByStringLiteral {
    public let rawValue: String

    public init(_ rawValue: String) {
        precondition(DomainID.isValid(rawValue), "domain id '\(rawValue)' must be lowercase kebab-case")
        self.rawValue = rawValue
    }

    public init(stringLiteral value: String) { self.init(value) }

    /// A domain id read back from storage: nil (not a trap) for text that is not one.
    public init?(stored raw: String) {
        guard DomainID.isValid(raw) else { return nil }
        self.rawValue = raw
    }

    public init(from decoder: any Decoder) throws {
        let raw = try decoder.singleValueContainer().decode(String.self)
        guard DomainID.isValid(raw) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "invalid domain id \(raw)"))
        }
        self.rawValue = raw
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    /// Lowercase letters, digits and single dashes; it must read well in a URL and a shell.
    public static func isValid(_ raw: String) -> Bool {
        guard let first = raw.first, first.isLetter, !raw.hasSuffix("-"), !raw.contains("--") else { return false }
        return raw.allSatisfy { ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "-" }
    }

    public var description: String { rawValue }
    public static func < (lhs: DomainID, rhs: DomainID) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The platform's own namespace (users, tokens, audit, outbox), which is not a domain module.
    public static let platform: DomainID = "vigil"
}
