import Kernel

// The money rules as requests and validators state them: the bound every amount is checked
// against at input (`Money.maximumMinorUnits`) and the ISO 4217 code.

extension Validator {
    /// An amount in minor units within the input bound (`Money.maximumMinorUnits`), the same rule
    /// the request schemas publish (`Schema.money`).
    public mutating func checkAmount(_ value: Int64, _ field: String, allowingNegative: Bool = false) {
        if !allowingNegative && value < 0 {
            add(field, .outOfRange, "cannot be negative")
        } else if value.magnitude > UInt64(Money.maximumMinorUnits) {
            add(field, .outOfRange, "must be at most \(Money.maximumMinorUnits) minor units\(allowingNegative ? " either way" : "")")
        }
    }
}

extension Schema {
    public static var currencyCode: Schema { .string(.init(maxLength: 3, pattern: .currencyCode)) }

    /// An amount in minor units as a request gives it: within ±`Money.maximumMinorUnits`
    /// (negative only where a credit makes sense).
    public static func money(allowingNegative: Bool = false) -> Schema {
        .integer(minimum: allowingNegative ? -Money.maximumMinorUnits : 0, maximum: Money.maximumMinorUnits)
    }
}

extension TextPattern {
    public static let currencyCode = TextPattern(regex: "^[A-Z]{3}$", message: "must be an ISO 4217 code such as BRL") { Money.isCurrencyCode($0) }
}
