import Foundation
import JSONCoding
import Kernel

/// The platform's own console pages, declared like a domain's.
struct PlatformPages: Sendable {
    let console: Console

    func all() -> [ConsolePage] {
        [
            .get("/preferences", permission: nil, navigation: ConsoleNavigation("nav-preferences", order: 900)) { request in
                try await preferencesPage(request, saved: nil, issues: [])
            },
            .post("/preferences", permission: nil) { request in
                let shortcuts = request.form.single("keyboardShortcuts") == "true"
                let language = request.form.single("language").flatMap { $0.isEmpty ? nil : $0 }
                let zone = request.form.single("timeZone").flatMap { $0.isEmpty ? nil : $0 }
                do {
                    try await ConsolePreferences(language: language, timeZone: zone, keyboardShortcuts: shortcuts).save(
                        for: request.invocation, runtime: console.runtime)
                } catch let error as VigilError where !error.fields.isEmpty {
                    return try await preferencesPage(request, saved: nil, issues: error.fields)
                }
                return .redirect("/console/preferences", .success("preferences-saved"))
            },
            .post("/saved-filters", permission: nil) { request in
                let page = request.form.single("page") ?? ""
                let query = request.form.single("query") ?? ""
                let back = page.hasPrefix("/console/") && !page.contains("..") ? page + (query.isEmpty ? "" : "?" + SavedFilters.savable(query)) : "/console"
                do {
                    try await SavedFilters.save(
                        page: page, name: request.form.single("name") ?? "", query: query, by: request.invocation, runtime: console.runtime)
                } catch let error as VigilError where !error.fields.isEmpty {
                    return .redirect(back, .error("filter-not-saved", ["message": error.fields.map(\.message).joined(separator: "; ")]))
                }
                return .redirect(back, .success("filter-saved"))
            },
            .post("/saved-filters/{id}/delete", permission: nil) { request in
                let page = try await SavedFilters.delete(request.path("id"), by: request.invocation, runtime: console.runtime)
                return .redirect(page, .success("filter-removed"))
            },
        ]
    }

    private func preferencesPage(_ request: ConsoleRequest, saved: Bool?, issues: [FieldIssue]) async throws -> ConsoleResponse {
        let stored = try await ConsolePreferences.read(request.principal.userID, runtime: console.runtime)
        let chosen = request.form.isEmpty ? stored?.language : request.form.single("language")
        let languages: [JSONValue] =
            [JSONValue.object(["value": .string(""), "label": .string(request.text("preferences-language-browser")), "selected": .bool(chosen == nil)])]
            + ConsoleLocale.languages.map { language in
                .object(["value": .string(language), "label": .string(request.text("language-\(language)")), "selected": .bool(chosen == language)])
            }
        var data: [String: JSONValue] = [
            "languages": .array(languages),
            "timeZone": .string((request.form.isEmpty ? stored?.timeZone : request.form.single("timeZone")) ?? ""),
            "keyboardShortcuts": .bool(stored?.keyboardShortcuts ?? true),
            "email": .string(request.principal.actor),
        ]
        if !issues.isEmpty { data["issues"] = .array(issues.map { .object(["field": .string($0.field), "message": .string($0.message)]) }) }
        return .page(ConsoleView("preferences", title: "preferences-title", data: data, status: issues.isEmpty ? 200 : 422))
    }
}
