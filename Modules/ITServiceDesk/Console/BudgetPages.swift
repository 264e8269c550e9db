import Foundation
import JSONCoding
import Kernel
import Monetary

/// Budget against actual for a fiscal year (per cost center, kind and category, with the run-rate
/// forecast and the alert thresholds crossed) and the purchase forecast of the coming quarters
/// against the budgets, both drawn as charts in the reporting currency with their figures.
struct BudgetPages {
    static let base = "/console/it-service-desk/budget"

    var all: [ConsolePage] {
        [.get("/budget", permission: ITServiceDeskPermissions.budgetRead, navigation: ConsoleNavigation("nav-budget", order: 50), handler: show)]
    }

    func show(_ request: ConsoleRequest) async throws -> ConsoleResponse {
        let thisYear = Calendar(identifier: .gregorian).component(.year, from: request.context.clock.now())
        let year = request.query["fiscalYear"].flatMap(Int.init).flatMap { (2000...2200).contains($0) ? $0 : nil } ?? thisYear
        let site = request.query["site"].flatMap { $0.isEmpty ? nil : $0.uppercased() }
        var query = ["fiscalYear": String(year)]
        var forecastQuery = ["quarters": "4"]
        if let site {
            query["site"] = site
            forecastQuery["site"] = site
        }
        var data: [String: JSONValue] = [
            "fiscalYear": .string(String(year)), "site": .string(site ?? ""),
            "siteOptions": .array(
                try await request.read("listSites").items.map { found in
                    let code = found[member: "code"]?.text ?? ""
                    return .object(["value": .string(code), "label": .string(code), "selected": .bool(code == site)])
                }),
        ]
        var status = 200
        do {
            let report = try await request.read("budgetAgainstActual", query: query)
            let forecast = try await request.read("purchaseForecast", query: forecastQuery)
            data.merge(budget(report, request)) { _, new in new }
            data.merge(purchases(forecast, request)) { _, new in new }
        } catch let error as VigilError where error.kind == .validation || error.kind == .notFound {
            data["issues"] = ConsoleRequest.issues(error.fields.isEmpty ? [FieldIssue("site", .notAllowed, error.detail)] : error.fields)
            status = 422
        }
        data.merge(BudgetFormPages.formData(request, year: year, currency: data["currency"]?.text ?? "BRL")) { _, new in new }
        return .page(ConsoleView("budget", title: "budget-title", data: data, status: status, titleDetail: String(year)))
    }

    /// The lines of the year, and a chart of budget, actual and run-rate forecast by category.
    func budget(_ report: JSONValue, _ request: ConsoleRequest) -> [String: JSONValue] {
        let currency = report[member: "reportingCurrency"]?.text ?? "BRL"
        let money = { (minor: Int64) in request.locale.money(minor, currency: currency) }
        let lines = report[member: "lines"]?.items ?? []
        var byCategory: [String: (budget: Int64, actual: Int64, forecast: Int64)] = [:]
        let rows: [JSONValue] = lines.map { line in
            let category = line[member: "category"]?.text ?? ""
            let budget = line[member: "budget"]?.intValue ?? 0
            let actual = line[member: "actual"]?.intValue ?? 0
            let forecast = line[member: "runRateForecast"]?.intValue ?? 0
            byCategory[category, default: (0, 0, 0)].budget += budget
            byCategory[category, default: (0, 0, 0)].actual += actual
            byCategory[category, default: (0, 0, 0)].forecast += forecast
            let alerts = line[member: "alerts"]?.items.compactMap(\.intValue) ?? []
            return .object([
                "site": line[member: "site"] ?? .string(""), "costCenter": line[member: "costCenter"] ?? .string(""),
                "kind": .string(request.text("value-kind-\(line[member: "kind"]?.text ?? "")")),
                "category": .string(request.text("value-spend-\(category)")),
                "budget": .string(money(budget)), "actual": .string(money(actual)), "remaining": .string(money(line[member: "remaining"]?.intValue ?? 0)),
                "used": .string(line[member: "usedPercent"]?.doubleValue.map { request.locale.percent($0 / 100) } ?? "–"),
                "forecast": .string(money(forecast)), "over": .bool(forecast > budget),
                "alerts": .array(alerts.map { .string("\($0)%") }), "hasAlerts": .bool(!alerts.isEmpty),
            ])
        }
        let categories = byCategory.keys.sorted()
        let series = { (name: String, value: ((budget: Int64, actual: Int64, forecast: Int64)) -> Int64) in
            ConsoleChart.Series(
                request.text(name),
                categories.map { key in
                    let amount = value(byCategory[key]!)
                    return ConsoleChart.Point(request.text("value-spend-\(key)"), Double(amount), text: money(amount))
                })
        }
        return [
            "currency": .string(currency), "lines": .array(rows), "hasLines": .bool(!rows.isEmpty),
            "budgetChart": ConsoleChart.columns(
                id: "chart-budget", title: request.text("budget-chart"), categories: categories.map { request.text("value-spend-\($0)") },
                series: [series("budget-budget", { $0.budget }), series("budget-actual", { $0.actual }), series("budget-forecast", { $0.forecast })]),
        ]
    }

    /// What to buy in the coming quarters (cost per quarter) and each site's year against budget.
    func purchases(_ forecast: JSONValue, _ request: ConsoleRequest) -> [String: JSONValue] {
        let currency = forecast[member: "reportingCurrency"]?.text ?? "BRL"
        let money = { (minor: Int64) in request.locale.money(minor, currency: currency) }
        let lines = forecast[member: "lines"]?.items ?? []
        var byQuarter: [String: Int64] = [:]
        for line in lines { byQuarter[line[member: "quarter"]?.text ?? "", default: 0] += line[member: "cost"]?.intValue ?? 0 }
        let quarters = byQuarter.keys.sorted()
        let budgets: [JSONValue] =
            forecast[member: "budgets"]?.items.map { line in
                let difference = line[member: "difference"]?.intValue ?? 0
                return .object([
                    "site": line[member: "site"] ?? .string(""), "fiscalYear": line[member: "fiscalYear"] ?? .string(""),
                    "forecast": .string(money(line[member: "forecast"]?.intValue ?? 0)), "budget": .string(money(line[member: "budget"]?.intValue ?? 0)),
                    "difference": .string(money(difference)), "short": .bool(difference < 0),
                ])
            } ?? []
        let purchases: [JSONValue] = lines.prefix(100).map { line in
            .object([
                "quarter": line[member: "quarter"] ?? .string(""), "site": line[member: "site"] ?? .string(""),
                "model": line[member: "model"] ?? .string(line[member: "category"]?.text ?? ""),
                "reason": .string(request.text("value-reason-\(line[member: "reason"]?.text ?? "")")),
                "quantity": .string(request.locale.number(line[member: "quantity"]?.intValue ?? 0)),
                "cost": .string(money(line[member: "cost"]?.intValue ?? 0)), "explanation": line[member: "explanation"] ?? .string(""),
            ])
        }
        return [
            "forecastChart": ConsoleChart.columns(
                id: "chart-forecast", title: request.text("forecast-chart"), categories: quarters,
                series: [
                    ConsoleChart.Series(
                        request.text("forecast-cost"), quarters.map { ConsoleChart.Point($0, Double(byQuarter[$0]!), text: money(byQuarter[$0]!)) })
                ]),
            "budgets": .array(budgets), "hasBudgets": .bool(!budgets.isEmpty),
            "purchases": .array(purchases), "hasPurchases": .bool(!purchases.isEmpty),
            "morePurchases": .bool(lines.count > purchases.count),
        ]
    }
}
