import Foundation
import Kernel

/// An amount as integer minor units of an ISO 4217 currency: never a floating point number.
public struct Money: Hashable, Sendable, Codable, CustomStringConvertible {
    public let minorUnits: Int64
    public let currency: String

    public init(minorUnits: Int64, currency: String) throws(VigilError) {
        guard Money.isCurrencyCode(currency) else {
            throw VigilError.invalid("currency", .format, "'\(currency)' is not an ISO 4217 code such as BRL")
        }
        self.minorUnits = minorUnits
        self.currency = currency
    }

    /// The largest amount any single input may carry: 999,999,999,999,999 minor units (about
    /// 10 trillion in a two-decimal currency). Sums of many such amounts are added in 128 bits
    /// (`MoneySum`), so a report never overflows on its way to a total.
    public static let maximumMinorUnits: Int64 = 999_999_999_999_999

    public static func isCurrencyCode(_ code: String) -> Bool {
        code.count == 3 && code.allSatisfy { $0.isASCII && $0.isUppercase }
    }

    /// Digits after the decimal point; ISO 4217 exceptions that matter to our regions.
    public static func minorDigits(_ currency: String) -> Int {
        switch currency {
        case "CLP", "JPY", "KRW", "PYG", "VND", "ISK": 0
        case "BHD", "KWD", "OMR", "TND": 3
        default: 2
        }
    }

    public func adding(_ other: Money) throws(VigilError) -> Money {
        guard other.currency == currency else {
            throw VigilError(.validation, "cannot add \(other.currency) to \(currency)")
        }
        let (sum, overflow) = minorUnits.addingReportingOverflow(other.minorUnits)
        guard !overflow else { throw VigilError(.validation, "amount out of range") }
        return try Money(minorUnits: sum, currency: currency)
    }

    /// `BRL 1234.50`: unambiguous, locale-free; localized display is the console's job.
    public var description: String { "\(currency) \(MoneyText.text(minorUnits, currency: currency))" }
}
