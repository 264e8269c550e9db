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

extension ConsoleLocale {
    /// An amount as this viewer types it, in minor units: "1.250,50" or "R$ 1.250,50" in pt-BR,
    /// "1,250.50" in en and zh-CN; nil when it is not an amount. A pt-BR amount without a comma
    /// whose last dot is not followed by exactly three digits ("120.50") reads the dot as the
    /// decimal point, as people paste figures from other tools.
    public func moneyInput(_ typed: String, currency: String) -> Int64? {
        var text = typed.uppercased()
        // A currency sign or code written with the amount, as the page shows money.
        for sign in [currency.uppercased(), "US$", "MX$", "COL$", "R$", "$", "¥", "￥", "€"] { text = text.replacingOccurrences(of: sign, with: "") }
        text = text.filter { !$0.isWhitespace }
        guard !text.isEmpty else { return nil }
        let commaDecimal = language == "pt-BR"
        if commaDecimal {
            if text.contains(",") {
                text = text.replacingOccurrences(of: ".", with: "").replacingOccurrences(of: ",", with: ".")
            } else if let dot = text.lastIndex(of: "."), text[text.index(after: dot)...].count == 3 {
                text = text.replacingOccurrences(of: ".", with: "")
            }
        } else {
            text = text.replacingOccurrences(of: ",", with: "")
        }
        return MoneyText.minorUnits(text, currency: currency)
    }
}
