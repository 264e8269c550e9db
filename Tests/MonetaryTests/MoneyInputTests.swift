import Foundation
import Kernel
import Monetary
import Testing

/// Amounts as people type them into the console, in their language's way of writing numbers.
@Suite struct MoneyInputTests {
    @Test func amountsReadAsTheViewerWritesThem() {
        let brazil = ConsoleLocale(language: "pt-BR")
        #expect(brazil.moneyInput("1.250,50", currency: "BRL") == 125_050)
        #expect(brazil.moneyInput("R$ 1.250,5", currency: "BRL") == 125_050)
        #expect(brazil.moneyInput("120,50", currency: "BRL") == 12_050)
        #expect(brazil.moneyInput("1.250", currency: "BRL") == 125_000, "a dot before three digits groups thousands")
        #expect(brazil.moneyInput("120.50", currency: "BRL") == 12_050, "a figure pasted with a decimal point")
        #expect(brazil.moneyInput("1.234.567,89", currency: "BRL") == 123_456_789)
        let english = ConsoleLocale(language: "en")
        #expect(english.moneyInput("1,250.50", currency: "USD") == 125_050)
        #expect(english.moneyInput("$ 99", currency: "USD") == 9_900)
        #expect(ConsoleLocale(language: "zh-CN").moneyInput("¥1,000.5", currency: "CNY") == 100_050)
        #expect(english.moneyInput("1500", currency: "CLP") == 1_500)
    }

    @Test func whatIsNotAnAmountIsRefused() {
        let brazil = ConsoleLocale(language: "pt-BR")
        for typed in ["", "abc", "-10,00", "1,2,3", "12,345", "1e5", "R$"] {
            #expect(brazil.moneyInput(typed, currency: "BRL") == nil, "\(typed)")
        }
        #expect(ConsoleLocale(language: "en").moneyInput("12.345", currency: "BRL") == nil, "more decimals than the currency has")
    }
}
