import Calendars
import Foundation
import JSONCoding

extension ConsoleRequest {
    /// The usual form action: submit the form to `operationID`, then back to `back` with the
    /// `done` message. A refusal also goes back, with its reason: a stale version says who changed
    /// the record and when (from `lastChange`), so the person reloads instead of overwriting.
    public func act(
        _ operationID: String, path: [String: String] = [:], extra: [String: JSONValue] = [:], back: String, done: String,
        lastChange: (@Sendable () async throws -> (who: String, at: Date)?)? = nil
    ) async throws -> ConsoleResponse {
        do {
            _ = try await submit(operationID, path: path, extra: extra)
            return .redirect(back, .success(done))
        } catch let error as VigilError {
            return .redirect(back, try await refusal(error, lastChange: lastChange))
        }
    }

    /// A refusal as the message the next page shows.
    public func refusal(_ error: VigilError, lastChange: (@Sendable () async throws -> (who: String, at: Date)?)? = nil) async throws -> ConsoleFlash {
        switch error.kind {
        case .preconditionFailed:
            if let change = try await lastChange?() {
                return .error("stale-record", ["who": change.who, "when": locale.dateTime(change.at, zone: try await formRegionZone())])
            }
            return .error("stale-record-anonymous")
        case .unauthorized, .forbidden, .notFound:
            throw error
        default:
            // The fields' own messages say what to change; "1 field is invalid" would not.
            let message = error.fields.isEmpty ? error.detail : error.fields.map { "\($0.field): \($0.message)" }.joined(separator: "; ")
            return .error("action-refused", ["message": message])
        }
    }

    /// Who made the last change to a record and when, from its timeline endpoint (oldest first,
    /// paged; entries with `actor` and `at`): what a stale form's refusal names.
    public func lastChange(from timelineOperation: String, path: [String: String]) -> @Sendable () async throws -> (who: String, at: Date)? {
        let request = self
        return {
            var query = ["limit": "100"]
            var last: JSONValue?
            for _ in 0..<50 {
                let page = try await request.read(timelineOperation, path: path, query: query)
                last = page[member: "items"]?.items.last ?? last
                guard let cursor = page[member: "nextCursor"]?.text else { break }
                query["cursor"] = cursor
            }
            guard let entry = last, let actor = entry[member: "actor"]?.text, let at = entry[member: "at"]?.text.flatMap(ISO8601.parse) else {
                return nil
            }
            return (ConsoleRequest.person(actor), at)
        }
    }

    /// The zone of the region a form says its record is in (`_region`): a refusal's times read
    /// as the page showed them.
    func formRegionZone() async throws -> TimeZone? {
        guard let code = form.single("_region").flatMap(RegionCode.init), let region = try await context.regions.region(code) else { return nil }
        return TimeZone(identifier: region.timeZone)
    }

    /// The clock for times that belong to no region (a user, a token): the viewer's chosen zone
    /// is applied by `ConsoleLocale` anyway; otherwise that of the first region they work in.
    public func homeZone() async throws -> TimeZone? {
        guard let region = try await context.regions.all().filter({ principal.canAccess($0.code) }).min(by: { $0.code.rawValue < $1.code.rawValue })
        else { return nil }
        return TimeZone(identifier: region.timeZone)
    }

    /// Each region's time zone, for showing a record's times in its own region's clock.
    public func regionZones() async throws -> [String: TimeZone] {
        var zones: [String: TimeZone] = [:]
        for region in try await context.regions.all() { zones[region.code.rawValue] = TimeZone(identifier: region.timeZone) }
        return zones
    }

    /// An instant from the API's JSON (ISO 8601) as this viewer reads it, in the zone given.
    public func localTime(_ json: JSONValue?, zone: TimeZone?) -> String? {
        guard case .string(let text)? = json, let date = ISO8601.parse(text) else { return nil }
        return locale.dateTime(date, zone: zone)
    }
}

extension JSONValue {
    /// A member of an object, or nil.
    public subscript(member name: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members[name]
    }

    /// The text of a string value, or nil.
    public var text: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// A whole number, or nil.
    public var intValue: Int64? {
        if case .integer(let value) = self { return value }
        return nil
    }

    /// Any number, or nil.
    public var doubleValue: Double? {
        switch self {
        case .integer(let value): Double(value)
        case .number(let value): value
        default: nil
        }
    }

    /// The items of an array value, or nothing.
    public var items: [JSONValue] {
        if case .array(let values) = self { return values }
        return []
    }
}
