import Foundation
import JSONCoding
import Kernel
import Monetary

/// The IT desk's asset pages: the list by site, status and category, and the asset with its
/// lifecycle actions, check-out and check-in, its history and its depreciation schedule.
struct AssetPages {
    static let base = "/console/it-service-desk/assets"
    static let filters = ["site", "status", "category"]

    var all: [ConsolePage] {
        [
            .get("/assets", permission: ITServiceDeskPermissions.assetRead, navigation: ConsoleNavigation("nav-assets", order: 30), handler: list),
            .get("/assets/{tag}", permission: ITServiceDeskPermissions.assetRead, handler: show),
            .post("/assets/{tag}/transition", permission: ITServiceDeskPermissions.assetManage, handler: transition),
            .post("/assets/{tag}/check-out", permission: ITServiceDeskPermissions.assetManage) { request in
                try await act(request, "checkOutAsset", done: "asset-checked-out")
            },
            .post("/assets/{tag}/check-in", permission: ITServiceDeskPermissions.assetManage) { request in
                try await act(request, "checkInAsset", done: "asset-checked-in")
            },
        ]
    }

    func list(_ request: ConsoleRequest) async throws -> ConsoleResponse {
        var data: [String: JSONValue] = [
            "statusOptions": request.options("assetStatus", AssetStatus.allCases.map(\.rawValue), selected: request.query["status"]),
            "categoryOptions": request.options("assetCategory", AssetCategory.all, selected: request.query["category"]),
            "site": .string(request.query["site"] ?? ""),
        ]
        let status = try await request.listPage(
            "listAssets", query: request.listQuery(filters: Self.filters), base: Self.base, filters: Self.filters, into: &data
        ) { row($0, request) }
        var page = ConsoleView("assets", title: "assets-title", data: data, status: status)
        page.savedFilters = true
        return .page(page)
    }

    func show(_ request: ConsoleRequest) async throws -> ConsoleResponse {
        let tag = request.path("tag")
        let asset = row(try await request.read("getAsset", path: ["tag": tag]), request)
        let schedule = try await request.read("assetDepreciation", path: ["tag": tag])
        let history = try await request.read("assetHistory", path: ["tag": tag], query: ["limit": "200"])
        let currency = schedule[member: "currency"]?.text ?? "BRL"
        let status = AssetStatus(rawValue: asset[member: "status"]?.text ?? "") ?? .inStock
        let money = { (value: JSONValue?) in JSONValue.string(request.locale.money(value?.intValue ?? 0, currency: currency)) }
        let data: [String: JSONValue] = [
            "asset": asset,
            "canManage": .bool(request.principal.has(ITServiceDeskPermissions.assetManage)),
            // Deploying is a check-out (to someone); the other moves are plain transitions.
            "transitions": request.options(
                "assetStatus", (AssetLifecycle.transitions[status] ?? []).filter { $0 != .deployed }.map(\.rawValue).sorted(), selected: nil),
            "disposalOptions": request.options("disposal", AssetLifecycle.disposalMethods, selected: nil),
            "canCheckOut": .bool(AssetLifecycle.allows(status, .deployed)),
            "canCheckIn": .bool(status == .deployed),
            "bookValueToday": money(schedule[member: "bookValueToday"]),
            "method": schedule[member: "method"] ?? .string(""),
            "periods": .array(
                schedule[member: "periods"]?.items.map { period in
                    .object([
                        "fiscalYear": period[member: "fiscalYear"] ?? .null, "from": period[member: "from"] ?? .null, "to": period[member: "to"] ?? .null,
                        "opening": money(period[member: "opening"]), "depreciation": money(period[member: "depreciation"]),
                        "closing": money(period[member: "closing"]),
                    ])
                } ?? []),
            "history": .array(
                history[member: "items"]?.items.map { event in
                    .object([
                        "kindLabel": .string(request.text("value-assetEvent-\(event[member: "kind"]?.text ?? "")")),
                        "who": .string(ConsoleRequest.person(event[member: "actor"]?.text)), "text": AssetPages.eventText(event),
                        "atLocal": .string(request.localTime(event[member: "at"], zone: TimeZone(identifier: asset[member: "timeZone"]?.text ?? "")) ?? ""),
                    ])
                } ?? []),
        ]
        return .page(ConsoleView("asset", title: "asset-title", data: data, titleDetail: asset[member: "tag"]?.text))
    }

    /// What an event says beyond its kind: its text, or to whom it went, from whom it came back,
    /// with which note, and the status move.
    static func eventText(_ event: JSONValue) -> JSONValue {
        var parts: [String] = []
        if let text = event[member: "text"]?.text, !text.isEmpty { parts.append(text) }
        if let from = event[member: "fromStatus"]?.text, let to = event[member: "toStatus"]?.text, from != to { parts.append("\(from) → \(to)") }
        let details = event[member: "details"]
        if let to = details?[member: "to"]?.text { parts.append("→ \(to)") }
        if let from = details?[member: "from"]?.text { parts.append("← \(from)") }
        if let note = details?[member: "note"]?.text, !note.isEmpty { parts.append(note) }
        return parts.isEmpty ? .null : .string(parts.joined(separator: " · "))
    }

    func row(_ asset: JSONValue, _ request: ConsoleRequest) -> JSONValue {
        guard case .object(var members) = asset else { return asset }
        if let status = members["status"]?.text { members["statusLabel"] = .string(request.text("value-assetStatus-\(status)")) }
        if let category = members["category"]?.text { members["categoryLabel"] = .string(request.text("value-assetCategory-\(category)")) }
        if let tag = members["tag"]?.text {
            members["href"] = .string("\(Self.base)/\(ConsoleRequest.pathSegment(tag))")
            members["path"] = .string(ConsoleRequest.pathSegment(tag))
        }
        if let cost = members["cost"]?.intValue, let currency = members["currency"]?.text {
            members["costText"] = .string(request.locale.money(cost, currency: currency))
        }
        return .object(members)
    }

    /// A move; disposing also says how and for how much, typed as money (R$ 120,50), not minor units.
    func transition(_ request: ConsoleRequest) async throws -> ConsoleResponse {
        var extra: [String: JSONValue] = [:]
        if request.form.single("status") == AssetStatus.disposed.rawValue {
            let asset = try await request.read("getAsset", path: ["tag": request.path("tag")])
            let currency = asset[member: "currency"]?.text ?? "BRL"
            let typed = request.form.single("disposalValue") ?? ""
            guard let minor = request.locale.moneyInput(typed, currency: currency) else {
                return .redirect(Self.back(request), .error("asset-disposal-value", ["currency": currency]))
            }
            extra["disposal"] = .object(["method": .string(request.form.single("disposalMethod") ?? ""), "value": .integer(minor)])
        }
        return try await act(request, "transitionAsset", done: "asset-moved", extra: extra)
    }

    static func back(_ request: ConsoleRequest) -> String {
        let tag = request.path("tag")
        return "\(Self.base)/\(ConsoleRequest.pathSegment(tag))"
    }

    func act(_ request: ConsoleRequest, _ operationID: String, done: String, extra: [String: JSONValue] = [:]) async throws -> ConsoleResponse {
        let tag = request.path("tag")
        return try await request.act(
            operationID, path: ["tag": tag], extra: extra, back: Self.back(request), done: done,
            lastChange: request.lastChange(from: "assetHistory", path: ["tag": tag]))
    }
}
