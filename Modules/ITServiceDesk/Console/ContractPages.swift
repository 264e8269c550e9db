import Calendars
import Foundation
import JSONCoding
import Kernel
import Monetary

/// Contracts and leases: the coming notice deadlines first (the date by which notice must be
/// given, or the contract renews on its own), every contract on request, a new one recorded from
/// its terms (the dates follow from them), and notice of termination given on its page.
struct ContractPages {
    static let base = "/console/it-service-desk/contracts"
    static let horizons = ["30", "90", "365", "all"]
    static let formFields = [
        "vendor", "type", "title", "site", "costCenter", "start", "initialTermMonths", "renewalTermMonths", "noticeDays", "noticeMonths",
        "tacitRenewal", "billingPeriodMonths", "billingAmount", "currency", "alertDays",
    ]

    var all: [ConsolePage] {
        [
            .get("/contracts", permission: ITServiceDeskPermissions.budgetRead, navigation: ConsoleNavigation("nav-contracts", order: 40)) { request in
                try await list(request, values: FormValues(), issues: [])
            },
            .post("/contracts/new", permission: ITServiceDeskPermissions.budgetManage, handler: create),
            .get("/contracts/{id}", permission: ITServiceDeskPermissions.budgetRead, handler: show),
            .post("/contracts/{id}/terminate", permission: ITServiceDeskPermissions.budgetManage) { request in
                let id = request.path("id")
                return try await request.act(
                    "terminateContract", path: ["id": id], back: "\(Self.base)/\(ConsoleRequest.pathSegment(id))", done: "contract-noticed")
            },
        ]
    }

    func list(_ request: ConsoleRequest, values: FormValues, issues: [FieldIssue]) async throws -> ConsoleResponse {
        let horizon = request.query["within"].flatMap { Self.horizons.contains($0) ? $0 : nil } ?? "90"
        var query: [String: String] = [:]
        if horizon != "all" { query["upcomingWithinDays"] = horizon }
        if let site = request.query["site"], !site.isEmpty { query["site"] = site.uppercased() }
        let today = request.context.clock.now()
        var data: [String: JSONValue] = [
            "withinOptions": request.options("within", Self.horizons, selected: horizon), "site": .string(request.query["site"] ?? ""),
            "hasIssues": .bool(!issues.isEmpty),
        ]
        var status = issues.isEmpty ? 200 : 422
        do {
            let contracts = try await request.read("listContracts", query: query).items.map { row($0, request, today: today) }
            data["contracts"] = .array(contracts)
            data["hasContracts"] = .bool(!contracts.isEmpty)
        } catch let error as VigilError where error.kind == .validation {
            data["issues"] = ConsoleRequest.issues(error.fields)
            status = 422
        }
        if request.principal.has(ITServiceDeskPermissions.budgetManage) {
            data["canCreate"] = .bool(true)
            data["fields"] = .array(try await fields(request, values: values, issues: issues))
        }
        return .page(ConsoleView("contracts", title: "contracts-title", data: data, status: status))
    }

    /// The form's fields: the site a choice, the amount typed as money (R$ 1.234,56) per period.
    func fields(_ request: ConsoleRequest, values: FormValues, issues: [FieldIssue]) async throws -> [JSONValue] {
        let sites = try await request.read("listSites").items
        return request.formFields("createContract", values: values, issues: issues, only: Self.formFields).map { field in
            guard case .object(var members) = field, let name = members["name"]?.text else { return field }
            switch name {
            case "site": members = SiteChoice.select(members, sites: sites, chosen: values.single("site"))
            case "billingAmount":
                members["name"] = .string("billingAmountText")
                members["value"] = .string(values.single("billingAmountText") ?? "")
                members["input"] = .string("text")
                members["inputmode"] = .string("decimal")
                members["min"] = nil
                members["max"] = nil
            default: break
            }
            return .object(members)
        }
    }

    func create(_ request: ConsoleRequest) async throws -> ConsoleResponse {
        let currency = (request.form.single("currency") ?? "").uppercased()
        let typed = (request.form.single("billingAmountText") ?? "").trimmingCharacters(in: .whitespaces)
        guard let minor = request.locale.moneyInput(typed, currency: currency.isEmpty ? "BRL" : currency) else {
            let issue = FieldIssue("billingAmount", .format, request.text("contract-amount-format"))
            return try await list(request, values: request.form, issues: [issue])
        }
        do {
            let response = try await request.submit("createContract", extra: ["billingAmount": .integer(minor), "currency": .string(currency)])
            let contract = try JSONValue.parse(response.body)
            let id = contract[member: "id"]?.text ?? ""
            return .redirect("\(Self.base)/\(id)", .success("contract-created", ["reference": contract[member: "reference"]?.text ?? ""]))
        } catch let error as VigilError where !error.fields.isEmpty {
            return try await list(request, values: request.form, issues: error.fields)
        }
    }

    func show(_ request: ConsoleRequest) async throws -> ConsoleResponse {
        let contract = try await request.read("getContract", path: ["id": request.path("id")])
        let view = row(contract, request, today: request.context.clock.now())
        var data: [String: JSONValue] = ["contract": view]
        let terminated = ["terminated", "expired"].contains(contract[member: "state"]?[member: "status"]?.text ?? "")
        data["canTerminate"] = .bool(
            request.principal.has(ITServiceDeskPermissions.budgetManage) && !terminated && (contract[member: "noticeGivenOn"] ?? .null) == .null)
        return .page(ConsoleView("contract", title: "contract-title", data: data, titleDetail: contract[member: "reference"]?.text))
    }

    /// A contract as the pages show it: labels translated, the amount as money, the days left to
    /// give notice (negative once the deadline has passed).
    func row(_ contract: JSONValue, _ request: ConsoleRequest, today: Date) -> JSONValue {
        guard case .object(var members) = contract else { return contract }
        let state = contract[member: "state"]
        let status = state?[member: "status"]?.text ?? ""
        members["statusLabel"] = .string(request.text("value-contract-\(status)"))
        members["statusClass"] = .string(status == "in-notice-window" ? "warning" : status == "expiring" ? "breached" : "")
        members["typeLabel"] = .string(request.text("value-type-\(contract[member: "type"]?.text ?? "")"))
        for field in ["noticeDeadline", "termEnd", "termStart", "nextRenewal"] {
            if let day = state?[member: field]?.text { members[field] = .string(request.locale.day(day)) }
        }
        members["start"] = contract[member: "start"]?.text.map { .string(request.locale.day($0)) } ?? .null
        members["noticeGivenOn"] = contract[member: "noticeGivenOn"]?.text.map { .string(request.locale.day($0)) } ?? .null
        if let deadline = state?[member: "noticeDeadline"]?.text.flatMap({ LocalDate($0) }) {
            let days = deadline.dayNumber - LocalDate(of: today, in: "UTC").dayNumber
            members["daysLeft"] = .string(request.locale.number(Int64(days)))
            members["deadlinePassed"] = .bool(days < 0)
        }
        if let amount = contract[member: "billingAmount"]?.intValue, let currency = contract[member: "currency"]?.text {
            members["billingText"] = .string(request.locale.money(amount, currency: currency))
        }
        if let id = contract[member: "id"]?.text { members["href"] = .string("\(Self.base)/\(id)") }
        return .object(members)
    }
}
