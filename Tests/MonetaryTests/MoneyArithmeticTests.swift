import Foundation
import Kernel
import Monetary
import PropertyTesting
import Testing

/// Sums past 64 bits, scaling in 128 bits, amount text and the input bound: the arithmetic every
/// money path (budgets, expenses, rates, depreciation, forecasts) stands on.
@Suite struct MoneyArithmeticTests {
    @Test func moneyIsMinorUnitsAndRefusesMixedCurrencies() throws {
        #expect(try Money(minorUnits: 123_450, currency: "BRL").description == "BRL 1234.50")
        #expect(try Money(minorUnits: -5, currency: "BRL").description == "BRL -0.05")
        #expect(try Money(minorUnits: 1500, currency: "CLP").description == "CLP 1500")
        #expect(try Money(minorUnits: 100, currency: "BRL").adding(Money(minorUnits: 250, currency: "BRL")).minorUnits == 350)
        #expect(throws: VigilError.self) { try Money(minorUnits: 1, currency: "BRL").adding(Money(minorUnits: 1, currency: "USD")) }
        #expect(throws: VigilError.self) { try Money(minorUnits: 1, currency: "real") }
    }

    @Test func moneySumsAddBeyondInt64WithoutTrapping() throws {
        var total = MoneySum()
        for _ in 0..<4 { total += Int64.max }
        #expect(total > MoneySum(.max))
        let error = #expect(throws: VigilError.self) { try total.int64("the total") }
        #expect(error?.kind == .outOfRange)
        #expect(error?.detail.contains("the total") == true)
        total = total - MoneySum(.max) - MoneySum(.max) - MoneySum(.max)
        #expect(try total.int64("the total") == .max)
        #expect(throws: VigilError.self) { try (MoneySum(.min) + Int64(-1)).int64("the debit") }
        #expect(try (MoneySum(.min) + Int64.max).int64("the net") == -1)
    }

    /// Random sums, large and small, against Decimal arithmetic: exact when the total fits 64
    /// bits, an out-of-range error when it does not.
    @Test func moneySumsMatchExactArithmetic() throws {
        var rng = SplitMix64(seed: 0x5_0_4_D)
        for _ in 0..<400 {
            let amounts = (0..<(1 + rng.below(20))).map { _ in
                rng.below(3) == 0 ? Int64.edgy(&rng) : Int64(truncatingIfNeeded: rng.next() % 2_000_000_000_000_000) - 1_000_000_000_000_000
            }
            var sum = MoneySum()
            var exact = Decimal(0)
            for amount in amounts {
                sum += amount
                exact += Decimal(amount)
            }
            if exact >= Decimal(Int64.min), exact <= Decimal(Int64.max) {
                #expect(try sum.int64("sum") == Int64(exact.description), "\(amounts)")
            } else {
                #expect(throws: VigilError.self, "\(amounts)") { try sum.int64("sum") }
            }
        }
    }

    @Test func scalingIsExactInOneHundredTwentyEightBits() {
        // 999,999,999,999,999 × 600 = 599,999,999,999,999,400 ÷ 601 = 998,336,106,489,183 remainder 417.
        #expect(Int64(999_999_999_999_999).scaled(by: 600, over: 601) == 998_336_106_489_184)
        #expect(Int64(999_999_999_999_999).scaledTruncating(by: 600, over: 601) == 998_336_106_489_183)
        #expect(Int64.max.scaled(by: .max, over: .max) == .max)
        #expect(Int64.max.scaledTruncating(by: 2, over: 2) == .max)
        #expect(Int64(-7).scaled(by: 1, over: 2) == -4)
        #expect(Int64(-7).scaledTruncating(by: 1, over: 2) == -3)
        #expect(Int64(7).scaled(by: 1, over: -2) == -4)
        #expect(Int64(5).scaled(by: 1, over: 3) == 2)
        #expect(Int64.max.scaled(by: 2, over: 1) == nil)
        #expect(Int64.min.scaledTruncating(by: -1, over: 1) == nil)
        #expect(Int64.min.scaled(by: 1, over: -1) == nil)
        #expect(Int64.min.scaled(by: -1, over: -1) == .min)
        #expect(Int64(1).scaled(by: 1, over: 0) == nil)
        #expect(Int64(1).scaledTruncating(by: 1, over: 0) == nil)
    }

    /// Random operands, extremes included, checked against the definition of each division
    /// (remainder bounds), and nil exactly when the quotient leaves Int64.
    @Test func scalingMatchesItsDefinitionForRandomOperands() {
        var rng = SplitMix64(seed: 0x5CA1E)
        func operand() -> Int64 {
            switch rng.below(3) {
            case 0: Int64.edgy(&rng)
            case 1: Int64(rng.below(2_001)) - 1_000
            default: Int64(truncatingIfNeeded: rng.next() % 2_000_000_000_000_000) - 1_000_000_000_000_000
            }
        }
        for _ in 0..<2_000 {
            let (value, numerator, denominator) = (operand(), operand(), operand())
            let product = Int128(value) * Int128(numerator)
            let divisor = Int128(denominator)
            let context = Comment(rawValue: "\(value) × \(numerator) ÷ \(denominator)")
            guard denominator != 0 else {
                #expect(value.scaled(by: numerator, over: 0) == nil && value.scaledTruncating(by: numerator, over: 0) == nil, context)
                continue
            }
            let negative = (product < 0) != (divisor < 0) && product != 0
            let twice = UInt128(product.magnitude) * 2
            // Truncated: |q| = ⌊|p| ÷ |d|⌋, which leaves Int64 when |p| ≥ 2^63·|d| (2^63 + 1 when negative).
            let truncatedOut = product.magnitude >= (negative ? UInt128(1) << 63 + 1 : UInt128(1) << 63) * divisor.magnitude
            if let truncated = value.scaledTruncating(by: numerator, over: denominator) {
                let remainder = product - Int128(truncated) * divisor
                #expect(!truncatedOut && remainder.magnitude < divisor.magnitude && (remainder == 0 || (remainder < 0) == (product < 0)), context)
            } else {
                #expect(truncatedOut, context)
            }
            // Rounded half away from zero: leaves Int64 when 2|p| ≥ (2^64 − 1)·|d| (2^64 + 1 when negative).
            let roundedOut = twice >= (negative ? UInt128(1) << 64 + 1 : UInt128(1) << 64 - 1) * divisor.magnitude
            if let rounded = value.scaled(by: numerator, over: denominator) {
                let remainder = product - Int128(rounded) * divisor
                let awayFromZero = remainder == 0 || (remainder < 0) != (product < 0)
                #expect(!roundedOut && remainder.magnitude * 2 <= divisor.magnitude, context)
                // A tie goes away from zero.
                if remainder.magnitude * 2 == divisor.magnitude { #expect(awayFromZero, context) }
            } else {
                #expect(roundedOut, context)
            }
        }
    }

    @Test(
        arguments: [
            ("9999999999999.99", "BRL", 999_999_999_999_999), ("10000000000000.00", "BRL", nil), ("10000000000000", "BRL", nil),
            ("9999999999999.9", "BRL", 999_999_999_999_990),
            ("9999999999999.999", "BRL", nil), ("0.05", "BRL", 5), ("12.5", "BRL", 1250), ("999999999999999", "JPY", 999_999_999_999_999),
            ("1000000000000000", "JPY", nil),
            ("999999999999.999", "KWD", 999_999_999_999_999), ("1000000000000.000", "KWD", nil), ("99999999999999999999", "BRL", nil), ("-1", "BRL", nil),
            ("+1", "BRL", nil),
            ("1e3", "BRL", nil), ("", "BRL", nil), ("1.", "BRL", nil), ("١٢", "BRL", nil), ("5.0", "JPY", nil),
        ] as [(String, String, Int64?)])
    func amountTextIsBoundedByTheMaximum(_ text: String, _ currency: String, _ minor: Int64?) {
        #expect(MoneyText.minorUnits(text, currency: currency) == minor)
        if let minor { #expect(MoneyText.minorUnits(MoneyText.text(minor, currency: currency), currency: currency) == minor) }
    }

    @Test(
        arguments: [
            (0, false, nil), (Money.maximumMinorUnits, false, nil), (-1, false, FieldIssue.Code.outOfRange), (Money.maximumMinorUnits + 1, false, .outOfRange),
            (.max, false, .outOfRange), (-Money.maximumMinorUnits, true, nil), (-Money.maximumMinorUnits - 1, true, .outOfRange), (.min, true, .outOfRange),
            (.max, true, .outOfRange),
        ] as [(Int64, Bool, FieldIssue.Code?)])
    func checkAmountBoundsEveryAmount(_ amount: Int64, _ allowingNegative: Bool, _ code: FieldIssue.Code?) {
        var validator = Validator()
        validator.checkAmount(amount, "amount", allowingNegative: allowingNegative)
        #expect(validator.issues.map(\.code) == (code.map { [$0] } ?? []))
        #expect(validator.issues.allSatisfy { $0.field == "amount" })
    }
}
