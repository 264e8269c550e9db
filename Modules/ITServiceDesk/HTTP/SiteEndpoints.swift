import Calendars
import Foundation
import Kernel

/// /api/it-service-desk/sites: offices, their calendars and cost centers.
struct SiteEndpoints {
    let sites: SiteService

    var all: [Endpoint] { [create, list, show, update, calendar, addHoliday, removeHoliday, addCostCenter] }

    static let hours: Schema = .object([
        .required("weekday", .integer(minimum: 1, maximum: 7)), .required("opens", .string(maxLength: 5)), .required("closes", .string(maxLength: 5)),
    ])
    static let holiday: Schema = .object([.required("date", .date), .required("name", .string(.init()))])
    static let costCenter: Schema = .named(
        "CostCenter", .object([.required("id", .uuid), .required("code", .string(.init())), .required("name", .string(.init())), .required("siteId", .uuid)]))

    static let schema: Schema = .named(
        "Site",
        .object([
            .required("id", .uuid), .required("code", .string(.init())), .required("name", .string(.init())), .required("country", .string(.init())),
            .required("region", .string(.init())), .required("timeZone", .string(.init())), .required("currency", .string(.init())),
            .required("fiscalYearStartMonth", .integer()), .required("hours", .array(hours)), .required("nationalHolidays", .boolean),
            .required("holidays", .array(holiday)), .required("costCenters", .array(costCenter)), .required("version", .integer()),
        ]))

    static let input: Schema = .named(
        "SiteInput",
        .object([
            .required("code", .string(maxLength: 20), "Short code, e.g. SP-HQ"), .required("name", .string(maxLength: 120)),
            .required("country", .string(maxLength: 2), "ISO 3166 code; BR gets its national holidays computed"),
            .required("region", .string(maxLength: 10)), .required("timeZone", .string(maxLength: 60), "IANA zone, e.g. America/Sao_Paulo"),
            .required("currency", .string(maxLength: 3)), .optional("fiscalYearStartMonth", .integer()),
            .optional("hours", .array(hours, maxItems: 7), "Working hours per weekday; default Monday-Friday 09:00-18:00"),
            .optional("nationalHolidays", .boolean, "Whether the country's holidays apply (default true)"),
        ]))

    static let change: Schema = .named(
        "SiteChange",
        .object([
            .optional("name", .string(maxLength: 120)), .optional("fiscalYearStartMonth", .integer()),
            .optional("hours", .array(hours, maxItems: 7)), .optional("nationalHolidays", .boolean),
        ]))

    static let calendarSchema: Schema = .named(
        "SiteCalendar",
        .object([
            .required("site", .string(.init())), .required("year", .integer()), .required("timeZone", .string(.init())), .required("hours", .array(hours)),
            .required(
                "holidays",
                .array(
                    .object([
                        .required("date", .date), .required("name", .string(.init())),
                        .required("source", .enumeration(["national", "site"])),
                    ]))),
        ]))

    var create: Endpoint {
        Endpoint(
            .post, "/sites", operationID: "createSite", summary: "Add an office with its calendar", permission: ITServiceDeskPermissions.deskManage,
            requestBody: Self.input, responses: [ResponseDoc(201, "The site", Self.schema)], idempotent: true
        ) { request in
            let input = try request.decode(SiteInput.self, schema: Self.input)
            let site = try await sites.create(input, by: request.invocation)
            return try .json(site, status: 201, version: site.version, location: "/api/it-service-desk/sites/\(site.code)")
        }
    }

    var list: Endpoint {
        Endpoint(
            .get, "/sites", operationID: "listSites", summary: "The offices you may see", permission: nil,
            query: [QueryParameter("region", .string(maxLength: 10), "Region code")], responses: [ResponseDoc(200, "Sites", .array(Self.schema))]
        ) { request in
            try .json(try await sites.sites(region: try ITEndpoints.region(request.query["region"]), by: request.principal))
        }
    }

    var show: Endpoint {
        Endpoint(.get, "/sites/{code}", operationID: "getSite", summary: "One office", permission: nil, responses: [ResponseDoc(200, "The site", Self.schema)])
        { request in
            let site = try await sites.get(request.path("code"), by: request.principal)
            return try .json(site, version: site.version)
        }
    }

    var update: Endpoint {
        Endpoint(
            .patch, "/sites/{code}", operationID: "updateSite", summary: "Change an office's name, hours, fiscal year or national holidays",
            permission: ITServiceDeskPermissions.deskManage, requestBody: Self.change, responses: [ResponseDoc(200, "The site", Self.schema)], versioned: true
        ) { request in
            let change = try request.decode(SiteChange.self, schema: Self.change)
            let site = try await sites.update(code: request.path("code"), change, expectedVersion: try request.requireVersion(), by: request.invocation)
            return try .json(site, version: site.version)
        }
    }

    var calendar: Endpoint {
        Endpoint(
            .get, "/sites/{code}/calendar", operationID: "siteCalendar", summary: "A year's holidays of an office (national and its own) and its hours",
            permission: nil, query: [QueryParameter("year", .integer(minimum: 1900, maximum: 2200), "Default this year")],
            responses: [ResponseDoc(200, "The calendar", Self.calendarSchema)]
        ) { request in
            let year =
                try request.query["year"].map { text throws(VigilError) -> Int in
                    guard let year = Int(text) else { throw VigilError.invalid("year", .format, "must be a year") }
                    return year
                } ?? Calendar.utc.component(.year, from: request.context.clock.now())
            return try .json(try await sites.calendar(site: request.path("code"), year: year, by: request.principal))
        }
    }

    private struct HolidayInput: Decodable { let date: String; let name: String }
    static let holidayInput: Schema = .named("HolidayInput", .object([.required("date", .date), .required("name", .string(maxLength: 80))]))

    var addHoliday: Endpoint {
        Endpoint(
            .post, "/sites/{code}/holidays", operationID: "addSiteHoliday", summary: "Add a site holiday (a city's, a closure)",
            permission: ITServiceDeskPermissions.deskManage, requestBody: Self.holidayInput, responses: [ResponseDoc(200, "The site", Self.schema)]
        ) { request in
            let input = try request.decode(HolidayInput.self, schema: Self.holidayInput)
            guard let date = LocalDate(input: input.date) else { throw VigilError.invalid("date", .format, LocalDate.inputRule) }
            let site = try await sites.addHoliday(site: request.path("code"), date: date, name: input.name, by: request.invocation)
            return try .json(site, version: site.version)
        }
    }

    var removeHoliday: Endpoint {
        Endpoint(
            .delete, "/sites/{code}/holidays/{date}", operationID: "removeSiteHoliday", summary: "Remove a site holiday",
            permission: ITServiceDeskPermissions.deskManage, responses: [ResponseDoc(200, "The site", Self.schema)]
        ) { request in
            guard let date = LocalDate(request.path("date")) else { throw VigilError.invalid("date", .format, "must be a date YYYY-MM-DD") }
            let site = try await sites.removeHoliday(site: request.path("code"), date: date, by: request.invocation)
            return try .json(site, version: site.version)
        }
    }

    private struct CostCenterInput: Decodable { let code: String; let name: String }
    static let costCenterInput: Schema = .named(
        "CostCenterInput", .object([.required("code", .string(maxLength: 20)), .required("name", .string(maxLength: 120))]))

    var addCostCenter: Endpoint {
        Endpoint(
            .post, "/sites/{code}/cost-centers", operationID: "addCostCenter", summary: "Add a cost center to an office",
            permission: ITServiceDeskPermissions.deskManage, requestBody: Self.costCenterInput,
            responses: [ResponseDoc(201, "The cost center", Self.costCenter)]
        ) { request in
            let input = try request.decode(CostCenterInput.self, schema: Self.costCenterInput)
            return try .json(
                try await sites.addCostCenter(site: request.path("code"), costCenter: input.code, name: input.name, by: request.invocation), status: 201)
        }
    }
}

/// Query helpers shared by the domain's endpoints.
enum ITEndpoints {
    static func region(_ text: String?) throws(VigilError) -> RegionCode? {
        guard let text else { return nil }
        let region = try RegionCode.parse(text)
        return region
    }

    static func page(_ query: [String: String]) throws(VigilError) -> PageRequest {
        try PageRequest(limit: query["limit"], cursor: query["cursor"])
    }
}
