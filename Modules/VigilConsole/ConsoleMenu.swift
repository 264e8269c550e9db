import Foundation
import JSONCoding
import Kernel

/// The console's navigation, built from the pages the build's domains declare: each entry shown
/// to those who hold its page's permission, grouped by domain in the registry's order.
struct ConsoleMenu: Sendable {
    struct Entry: Sendable {
        let domain: DomainID
        let navigation: ConsoleNavigation
        let path: String
        let permission: Permission?
    }

    let entries: [Entry]

    init(pages: [Console.MountedPage]) {
        var entries: [Entry] = []
        for mounted in pages where mounted.page.method == .get {
            guard let navigation = mounted.page.navigation, mounted.page.pathParameters.isEmpty else { continue }
            entries.append(Entry(domain: mounted.domain, navigation: navigation, path: mounted.path, permission: mounted.page.permission))
        }
        self.entries = entries
    }

    func visible(to principal: Principal) -> [Entry] {
        entries.filter { entry in entry.permission.map(principal.has) ?? true }
    }

    /// Where signing in lands: the first page the person may open.
    func home(for principal: Principal) -> String? {
        let domainEntries = visible(to: principal).filter { $0.domain != .platform }
        return (domainEntries.isEmpty ? visible(to: principal) : domainEntries).min { $0.navigation.order < $1.navigation.order }?.path
    }

    /// The menu as template data: groups with their entries, the current one marked.
    func view(for principal: Principal, currentPath: String, catalogs: ConsoleCatalogs, language: String) -> [JSONValue] {
        var groups: [(DomainID, [Entry])] = []
        // The one entry the page belongs to: the longest path that is the page's or a parent of it
        // (on a case page, "Cases", not also the dashboard at the domain's root).
        let current = visible(to: principal).filter { currentPath == $0.path || currentPath.hasPrefix($0.path + "/") }
            .max { $0.path.count < $1.path.count }?.path
        for entry in visible(to: principal) {
            if let index = groups.firstIndex(where: { $0.0 == entry.domain }) {
                groups[index].1.append(entry)
            } else {
                groups.append((entry.domain, [entry]))
            }
        }
        return groups.map { domain, entries in
            let texts = catalogs.texts(language: language, owner: domain)
            return .object([
                "domain": .string(domain.rawValue), "label": .string(texts("domain-title")),
                "entries": .array(
                    entries.sorted { $0.navigation.order < $1.navigation.order }.map { entry in
                        var item: [String: JSONValue] = [
                            "href": .string(entry.path), "label": .string(texts(entry.navigation.labelKey)),
                            "id": .string("nav-" + entry.path.dropFirst("/console/".count).replacingOccurrences(of: "/", with: "-")),
                        ]
                        if entry.path == current { item["current"] = .bool(true) }
                        if let key = entry.navigation.shortcut { item["shortcut"] = .string(String(key)) }
                        return .object(item)
                    }),
            ])
        }
    }
}
