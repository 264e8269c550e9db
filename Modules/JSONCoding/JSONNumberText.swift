import Foundation

/// How every JSON writer of the product spells a number: as Foundation's JSONEncoder does (the
/// shortest text that reads back as the same value, without a trailing ".0": `3`, `0.1`,
/// `1e+16`, `-0`), so that a value reads the same in a response, an audit record, an event and a
/// webhook. A number JSON cannot carry (NaN, infinity) is refused, as Foundation refuses it,
/// rather than written as something else.
public enum JSONNumberText {
    public static func text(_ value: Double) throws(JSONNumberError) -> String {
        guard value.isFinite else { throw JSONNumberError(value: value.description) }
        return trimmed(value.description)
    }

    public static func text(_ value: Float) throws(JSONNumberError) -> String {
        guard value.isFinite else { throw JSONNumberError(value: value.description) }
        return trimmed(value.description)
    }

    /// For writers that cannot fail (hand-written pages of validated values): a non-finite number
    /// becomes null there, the only JSON that does not claim a value.
    public static func textOrNull(_ value: Double) -> String {
        value.isFinite ? trimmed(value.description) : "null"
    }

    private static func trimmed(_ description: String) -> String {
        description.hasSuffix(".0") ? String(description.dropLast(2)) : description
    }
}

/// A number JSON has no spelling for.
public struct JSONNumberError: Error, CustomStringConvertible {
    public let value: String
    public var description: String { "\(value) cannot be written as a JSON number" }
}
