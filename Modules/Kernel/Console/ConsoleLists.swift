import Foundation
import JSONCoding

/// What every list page and form of every domain needs: labelled choices, the viewer's regions as
/// a choice, the query its filters make, the links of cursor paging, field issues for a template.
extension ConsoleRequest {
    /// A select's options for an enumeration: each value labelled by the text `value-<field>-<value>`,
    /// the chosen one marked.
    public func options(_ field: String, _ values: [String], selected: String?) -> JSONValue {
        .array(
            values.map { value in
                .object(["value": .string(value), "label": .string(text("value-\(field)-\(value)")), "selected": .bool(value == selected)])
            })
    }

    /// The region a page of one region shows (a dashboard, a roster, a report): the one its
    /// `?region=` names among those the person works in, else the first of them.
    public func chosenRegion() async throws -> RegionInfo {
        let regions = try await context.regions.all().filter { principal.canAccess($0.code) }
        guard let first = regions.first else { throw VigilError(.forbidden, "you work in no region") }
        return regions.first { $0.code.rawValue == query["region"] } ?? first
    }

    /// The regions this person works in, as options (a record can only go where they may write).
    public func regionOptions(selected: String?) async throws -> JSONValue {
        .array(
            try await context.regions.all().filter { principal.canAccess($0.code) }.map { region in
                .object(["value": .string(region.code.rawValue), "label": .string(region.name), "selected": .bool(region.code.rawValue == selected)])
            })
    }

    /// The list endpoint's query from the page's: the filters given, plus the cursor.
    public func listQuery(filters: [String], limit: Int = 50) -> [String: String] {
        var query = ["limit": String(limit)]
        for name in filters + ["cursor"] {
            if let value = self.query[name], !value.isEmpty { query[name] = value }
        }
        return query
    }

    /// A work queue's query: no status chosen means the records still being worked (`open=true`,
    /// which the list endpoint understands); "all" means every status.
    public func queueQuery(filters: [String]) -> [String: String] {
        var query = listQuery(filters: filters)
        switch query["status"] {
        case nil: query["open"] = "true"
        case "all": query["status"] = nil
        default: break
        }
        return query
    }

    /// One page of a list endpoint as a list page shows it: `items` (each through `row`),
    /// `hasItems` and the paging links into `data`; a filter the endpoint refuses becomes the
    /// page's `issues`. The page's status (200, or 422 for a refused filter).
    public func listPage(
        _ operationID: String, path: [String: String] = [:], query: [String: String], base: String, filters: [String],
        into data: inout [String: JSONValue], row: (JSONValue) -> JSONValue
    ) async throws -> Int {
        do {
            let page = try await read(operationID, path: path, query: query)
            let items = page[member: "items"]?.items.map(row) ?? []
            data["items"] = .array(items)
            data["hasItems"] = .bool(!items.isEmpty)
            data.merge(pageLinks(base: base, filters: filters, next: page[member: "nextCursor"]?.text)) { _, link in link }
            return 200
        } catch let error as VigilError where error.kind == .validation {
            data["issues"] = ConsoleRequest.issues(error.fields)
            data["hasItems"] = .bool(false)
            return 422
        }
    }

    /// `nextHref` (the same filters, the next cursor) and `firstHref` (back to the start).
    public func pageLinks(base: String, filters: [String], next: String?) -> [String: JSONValue] {
        var links: [String: JSONValue] = [:]
        let escape = { (text: String) in text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "" }
        if let next {
            var parameters = filters.compactMap { name in self.query[name].flatMap { $0.isEmpty ? nil : "\(name)=\(escape($0))" } }
            parameters.append("cursor=\(escape(next))")
            links["nextHref"] = .string(base + "?" + parameters.joined(separator: "&"))
        }
        if query["cursor"] != nil { links["firstHref"] = .string(base) }
        return links
    }

    /// A form's or a list's field issues, as the templates show them.
    public static func issues(_ issues: [FieldIssue]) -> JSONValue {
        .array(issues.map { .object(["field": .string($0.field), "message": .string($0.message)]) })
    }

    /// A value made safe as one segment of a console path (an asset tag with a space or a slash).
    public static func pathSegment(_ value: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "/?#%")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
    }

    /// An actor (`user:ana@…`) as a person reads it.
    public static func person(_ actor: String?) -> String {
        guard let actor else { return "" }
        return actor.hasPrefix("user:") ? String(actor.dropFirst(5)) : actor
    }
}
