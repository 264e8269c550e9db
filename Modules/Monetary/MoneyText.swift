import Foundation

/// Amounts as people write them in files, to and from minor units.
public enum MoneyText {
    public static func minorUnits(_ text: String, currency: String) -> Int64? {
        let digits = Money.minorDigits(currency)
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), !parts[0].isEmpty, parts[0].count <= 15, parts[0].allSatisfy(\.isASCII), let whole = Int64(parts[0]), whole >= 0,
            !parts[0].hasPrefix("+"), !parts[0].hasPrefix("-")
        else { return nil }
        var fraction: Int64 = 0
        if parts.count == 2 {
            let decimals = parts[1]
            guard !decimals.isEmpty, decimals.count <= digits, decimals.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int64(decimals) else {
                return nil
            }
            fraction = value
            for _ in decimals.count..<digits { fraction *= 10 }
        }
        var scale: Int64 = 1
        for _ in 0..<digits { scale *= 10 }
        // At most 15 whole digits times at most 1000 fits 64 bits; the bound is the product's.
        let (scaled, overflow) = whole.multipliedReportingOverflow(by: scale)
        guard !overflow, scaled <= Money.maximumMinorUnits - fraction else { return nil }
        return scaled + fraction
    }

    public static func text(_ minor: Int64, currency: String) -> String {
        let digits = Money.minorDigits(currency)
        guard digits > 0 else { return String(minor) }
        var scale: Int64 = 1
        for _ in 0..<digits { scale *= 10 }
        let sign = minor < 0 ? "-" : ""
        let magnitude = minor.magnitude
        let fraction = String(magnitude % UInt64(scale))
        return "\(sign)\(magnitude / UInt64(scale)).\(String(repeating: "0", count: digits - fraction.count))\(fraction)"
    }
}
