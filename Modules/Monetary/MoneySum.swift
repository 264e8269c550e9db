import Foundation
import Kernel

extension Optional where Wrapped == Int64 {
    /// The value of a checked computation, or an out-of-range error naming `what`.
    public func orThrow(_ what: @autoclosure () -> String) throws(VigilError) -> Int64 {
        guard let self else { throw VigilError.outOfRange(what()) }
        return self
    }
}

/// Amounts added up, multiplied or scaled without trapping. Each input is bounded
/// (`Money.maximumMinorUnits`), but a report adds up a million of them, and Swift traps on
/// overflow: that took the whole server down. Sums and intermediate products here are 128-bit;
/// only the result that leaves (a JSON integer, a stored value) must fit in 64 bits, and one that
/// does not is an error that names what overflowed, not a crash.
public struct MoneySum: Sendable, Hashable, Comparable, AdditiveArithmetic {
    public private(set) var value: Int128

    public init(_ value: Int64 = 0) { self.value = Int128(value) }
    public init(wide value: Int128) { self.value = value }

    public static var zero: MoneySum { MoneySum() }
    public static func + (lhs: MoneySum, rhs: MoneySum) -> MoneySum { MoneySum(wide: lhs.value &+ rhs.value) }
    public static func - (lhs: MoneySum, rhs: MoneySum) -> MoneySum { MoneySum(wide: lhs.value &- rhs.value) }
    public static func + (lhs: MoneySum, rhs: Int64) -> MoneySum { MoneySum(wide: lhs.value &+ Int128(rhs)) }
    public static func += (lhs: inout MoneySum, rhs: Int64) { lhs = lhs + rhs }
    public static func < (lhs: MoneySum, rhs: MoneySum) -> Bool { lhs.value < rhs.value }

    /// The total as 64 bits, or an error naming `what` when it does not fit.
    public func int64(_ what: @autoclosure () -> String) throws(VigilError) -> Int64 {
        guard let exact = Int64(exactly: value) else { throw VigilError.outOfRange(what()) }
        return exact
    }
}

extension Int64 {
    /// `self × numerator ÷ denominator`, rounded half away from zero, with the product in 128 bits
    /// (`cost × months elapsed ÷ life` overflows 64 bits for large costs). Nil when the divisor is
    /// zero or the result leaves 64 bits.
    public func scaled(by numerator: Int64, over denominator: Int64) -> Int64? {
        guard denominator != 0 else { return nil }
        let product = Int128(self) * Int128(numerator)
        let divisor = Int128(denominator)
        let quotient = product / divisor
        let remainder = product % divisor
        var rounded = quotient
        if (remainder.magnitude * 2) >= divisor.magnitude {
            rounded += (product < 0) != (divisor < 0) ? -1 : 1
        }
        return Int64(exactly: rounded)
    }

    /// `self × numerator ÷ denominator` truncated toward zero, the product in 128 bits.
    public func scaledTruncating(by numerator: Int64, over denominator: Int64) -> Int64? {
        guard denominator != 0 else { return nil }
        return Int64(exactly: Int128(self) * Int128(numerator) / Int128(denominator))
    }

    /// Checked operations for amounts: an overflow is an error naming `what`.
    public func adding(_ other: Int64, _ what: @autoclosure () -> String) throws(VigilError) -> Int64 {
        let (sum, overflow) = addingReportingOverflow(other)
        if overflow { throw VigilError.outOfRange(what()) }
        return sum
    }

    public func subtracting(_ other: Int64, _ what: @autoclosure () -> String) throws(VigilError) -> Int64 {
        let (difference, overflow) = subtractingReportingOverflow(other)
        if overflow { throw VigilError.outOfRange(what()) }
        return difference
    }

    public func multiplied(by other: Int64, _ what: @autoclosure () -> String) throws(VigilError) -> Int64 {
        let (product, overflow) = multipliedReportingOverflow(by: other)
        if overflow { throw VigilError.outOfRange(what()) }
        return product
    }
}
