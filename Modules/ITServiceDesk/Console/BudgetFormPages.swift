import Foundation
import JSONCoding
import Kernel
import Monetary

/// The budget page's two forms, for whoever keeps the budget: a budget line of the year (by cost
/// center, kind and category) and an expense (a negative amount is a credit). Amounts are typed as
/// money in the viewer's way; the endpoints take minor units.
struct BudgetFormPages {
    var all: [ConsolePage] {
        [
            .post("/budget/line", permission: ITServiceDeskPermissions.budgetManage, handler: setLine),
            .post("/budget/expense", permission: ITServiceDeskPermissions.budgetManage, handler: recordExpense),
        ]
    }

    static func back(_ request: ConsoleRequest) -> String {
        let year = request.form.single("fiscalYear").flatMap(Int.init) ?? request.form.single("spentOn").flatMap { Int($0.prefix(4)) }
        return BudgetPages.base + (year.map { "?fiscalYear=\($0)" } ?? "")
    }

    /// The typed amount in minor units of `currency`, a leading minus kept; nil when not an amount.
    static func amount(_ request: ConsoleRequest, _ name: String, currency: String) -> Int64? {
        let typed = (request.form.single(name) ?? "").trimmingCharacters(in: .whitespaces)
        let negative = typed.hasPrefix("-")
        return request.locale.moneyInput(negative ? String(typed.dropFirst()) : typed, currency: currency).map { negative ? -$0 : $0 }
    }

    func setLine(_ request: ConsoleRequest) async throws -> ConsoleResponse {
        let currency = (request.form.single("currency") ?? "").uppercased()
        guard let minor = Self.amount(request, "amountText", currency: currency.isEmpty ? "BRL" : currency), minor >= 0 else {
            return .redirect(Self.back(request), .error("budget-amount-format"))
        }
        let path = ["fiscalYear", "costCenter", "kind", "category"].reduce(into: [String: String]()) { $0[$1] = request.form.single($1) ?? "" }
        do {
            _ = try await request.endpoints.call(
                "setBudgetLine", path: path, query: [:], body: .object(["amount": .integer(minor), "currency": .string(currency)]), ifMatch: nil,
                idempotencyKey: nil)
            return .redirect(Self.back(request), .success("budget-line-set"))
        } catch let error as VigilError {
            return .redirect(Self.back(request), try await request.refusal(error))
        }
    }

    func recordExpense(_ request: ConsoleRequest) async throws -> ConsoleResponse {
        let currency = (request.form.single("currency") ?? "").uppercased()
        guard let minor = Self.amount(request, "amountText", currency: currency.isEmpty ? "BRL" : currency) else {
            return .redirect(Self.back(request), .error("budget-amount-format"))
        }
        return try await request.act(
            "recordExpense", extra: ["amount": .integer(minor), "currency": .string(currency)], back: Self.back(request), done: "expense-recorded")
    }

    /// The forms' choices, for the budget page of `year`.
    static func formData(_ request: ConsoleRequest, year: Int, currency: String) -> [String: JSONValue] {
        let categories: JSONValue = .array(
            SpendCategory.allCases.map { .object(["value": .string($0.rawValue), "label": .string(request.text("value-spend-\($0.rawValue)"))]) })
        return [
            "canManage": .bool(request.principal.has(ITServiceDeskPermissions.budgetManage)),
            "kindOptions": request.options("kind", SpendKind.allCases.map(\.rawValue), selected: nil), "categoryOptions": categories,
            "formCurrency": .string(currency), "formYear": .string(String(year)),
        ]
    }
}
