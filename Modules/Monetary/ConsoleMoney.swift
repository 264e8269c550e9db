import Foundation
import Kernel

extension ConsoleLocale {
    /// An amount in minor units as this viewer reads money: R$ 1.234,56 in pt-BR, $1,234.56 in en.
    public func money(_ minor: Int64, currency: String) -> String {
        let digits = Money.minorDigits(currency)
        var amount = Decimal(minor)
        for _ in 0..<digits { amount /= 10 }
        return amount.formatted(.currency(code: currency).locale(Locale(identifier: language)).precision(.fractionLength(digits)))
    }
}
