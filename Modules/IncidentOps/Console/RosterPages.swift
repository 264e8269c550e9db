import Calendars
import Foundation
import JSONCoding
import Kernel

/// The roster of a region as a week grid (a row per person, a column per local day, each shift
/// with its hours and kind), a week at a time; coordinators put someone on a shift (planned, a
/// swap or an override) or lay down a rotation (e.g. 3 × 8 h with one team resting in turn).
struct RosterPages {
    static let base = "/console/incident-ops/roster"
    static let shiftFields = ["email", "role", "startsAt", "endsAt", "kind", "note"]
    static let rotationFields = ["role", "emails", "startDate", "days", "shiftsPerDay", "firstShiftStarts", "rotateEveryDays"]

    var all: [ConsolePage] {
        [
            .get("/roster", permission: IncidentOpsPermissions.caseRead, navigation: ConsoleNavigation("nav-roster", order: 45), handler: week),
            .post("/roster/shift", permission: IncidentOpsPermissions.deskManage, handler: addShift),
            .post("/roster/rotation", permission: IncidentOpsPermissions.deskManage) { request in
                let region = request.form.single("region") ?? ""
                return try await request.act("addRotation", back: Self.back(region, week: request.form.single("_week")), done: "rotation-added")
            },
        ]
    }

    /// Two forms on one page: their inputs need ids of their own.
    static func prefixed(_ fields: [JSONValue], _ prefix: String) -> [JSONValue] {
        fields.map { field in
            guard case .object(var members) = field, let id = members["id"]?.text else { return field }
            members["id"] = .string("\(prefix)-\(id)")
            return .object(members)
        }
    }

    static func back(_ region: String, week: String?) -> String {
        var path = "\(base)?region=\(ConsoleRequest.pathSegment(region))"
        if let week, LocalDate(week) != nil { path += "&week=\(week)" }
        return path
    }

    func addShift(_ request: ConsoleRequest) async throws -> ConsoleResponse {
        let region = request.form.single("region") ?? ""
        let back = Self.back(region, week: request.form.single("_week"))
        let zone = try await request.regionZones()[region] ?? .gmt
        var extra: [String: JSONValue] = [:]
        for name in ["startsAt", "endsAt"] {
            guard let instant = request.instant(fromLocal: name, zone: zone) else { return .redirect(back, .error("roster-time-needed")) }
            extra[name] = .string(instant)
        }
        return try await request.act("addShift", extra: extra, back: back, done: "shift-added")
    }

    func week(_ request: ConsoleRequest) async throws -> ConsoleResponse {
        let chosen = try await request.chosenRegion()
        let region = chosen.code.rawValue
        let zone = TimeZone(identifier: chosen.timeZone) ?? .gmt
        let today = LocalDate(of: request.context.clock.now(), in: chosen.timeZone)
        let asked = request.query["week"].flatMap { LocalDate($0) } ?? today
        let monday = asked.adding(days: -(asked.isoWeekday - 1))
        let days = (0..<7).map { monday.adding(days: $0) }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let start = { (day: LocalDate) in calendar.date(from: DateComponents(year: day.year, month: day.month, day: day.day)) ?? Date() }
        let from = start(monday)
        let to = start(monday.adding(days: 7))
        let entries = try await request.read("roster", query: ["region": region, "from": ISO8601.format(from), "to": ISO8601.format(to)]).items
        let people = try await request.read("listAnalysts", query: ["region": region]).items
        var names: [String: String] = [:]
        for person in people { names[person[member: "userId"]?.text ?? ""] = person[member: "name"]?.text }

        // Each shift goes in the column of the local day it starts on.
        let hours = Date.FormatStyle(date: .omitted, time: .shortened, locale: Locale(identifier: request.locale.language), timeZone: zone)
        var grid: [String: [Int: [JSONValue]]] = [:]
        var roles: [String: String] = [:]
        for entry in entries {
            guard let user = entry[member: "userId"]?.text, let startsAt = entry[member: "startsAt"]?.text.flatMap(ISO8601.parse),
                let endsAt = entry[member: "endsAt"]?.text.flatMap(ISO8601.parse)
            else { continue }
            let column = LocalDate(of: max(startsAt, from), in: chosen.timeZone).dayNumber - monday.dayNumber
            guard (0..<7).contains(column) else { continue }
            let kind = entry[member: "kind"]?.text ?? "planned"
            roles[user] = entry[member: "role"]?.text
            grid[user, default: [:]][column, default: []].append(
                .object([
                    "hours": .string("\(startsAt.formatted(hours))–\(endsAt.formatted(hours))"), "kind": .string(kind),
                    "kindLabel": .string(request.text("value-kind-\(kind)")), "special": .bool(kind != "planned"),
                    "note": entry[member: "note"] ?? .null,
                ]))
        }
        let rows: [JSONValue] = grid.keys.sorted { (names[$0] ?? $0) < (names[$1] ?? $1) }.map { user in
            .object([
                "name": .string(names[user] ?? String(user.prefix(8))),
                "role": .string(request.text("value-role-\(roles[user] ?? "analyst")")),
                "cells": .array((0..<7).map { column in .object(["shifts": .array(grid[user]?[column] ?? [])]) }),
            ])
        }
        let dayStyle = Date.FormatStyle(locale: Locale(identifier: request.locale.language), timeZone: .gmt).weekday(.abbreviated).day().month(.abbreviated)
        let headings: [JSONValue] = days.map { day in
            let noon = Calendar.utc.date(from: DateComponents(year: day.year, month: day.month, day: day.day, hour: 12)) ?? Date()
            return .object(["label": .string(noon.formatted(dayStyle)), "today": .bool(day == today)])
        }
        var data: [String: JSONValue] = [
            "region": .string(region), "week": .string(monday.description),
            "regionOptions": try await request.regionOptions(selected: region),
            "days": .array(headings), "rows": .array(rows), "hasRows": .bool(!rows.isEmpty),
            "previousHref": .string(Self.back(region, week: monday.adding(days: -7).description)),
            "nextHref": .string(Self.back(region, week: monday.adding(days: 7).description)),
            "thisWeekHref": .string(Self.back(region, week: nil)),
        ]
        if request.principal.has(IncidentOpsPermissions.deskManage) {
            data["canManage"] = .bool(true)
            data["shiftForm"] = .object(["fields": .array(Self.prefixed(request.formFields("addShift", values: FormValues(), only: Self.shiftFields), "shift"))]
            )
            let rotation = request.formFields("addRotation", values: FormValues(), only: Self.rotationFields).map { field -> JSONValue in
                guard case .object(var members) = field else { return field }
                switch members["name"]?.text {
                case "startDate": members["input"] = .string("date")
                case "firstShiftStarts": members["input"] = .string("time")
                case "role":
                    members["input"] = nil
                    members["select"] = .bool(true)
                    members["options"] = request.options("role", ShiftEntry.Role.allCases.map(\.rawValue), selected: nil)
                default: break
                }
                return .object(members)
            }
            data["rotationForm"] = .object(["fields": .array(Self.prefixed(rotation, "rotation"))])
        }
        return .page(ConsoleView("roster", title: "roster-title", data: data, titleDetail: chosen.name))
    }
}
