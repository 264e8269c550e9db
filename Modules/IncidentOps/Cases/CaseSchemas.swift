import Kernel

/// The JSON shapes of cases, for validation and for /openapi.json.
enum CaseSchemas {
    static let location: Schema = .named(
        "CaseLocation",
        .object([
            .optional("address", .string(maxLength: 300), "Address or landmark as reported"),
            .optional("latitude", .number), .optional("longitude", .number),
        ]))

    static let openCase: Schema = .named(
        "OpenCase",
        .object([
            .required("region", .string(.init(maxLength: 10, description: "Region code, e.g. BR-SP"))),
            .required("businessLine", .enumeration(BusinessLine.allCases.map(\.rawValue))),
            .required("category", .enumeration(CaseCategory.all)),
            .required("severity", .enumeration(Severity.allCases.map(\.rawValue)), "S1 (life at risk) to S4"),
            .required("description", .string(.init(minLength: 1, maxLength: CaseRules.defaultMaxDescriptionLength))),
            .optional("location", location),
            .optional("sensitive", .boolean, "Restrict visibility to those granted sensitive access"),
            .optional("reporterName", .string(maxLength: 200)),
            .optional("reporterContact", .string(maxLength: 200)),
            .optional("occurredAt", .dateTime, "When it happened, if not now"),
            .optional("subcategory", .string(maxLength: 40), "One of the region's subcategories of the category, where it defines them"),
            .optional("urgency", .enumeration(Urgency.allCases.map(\.rawValue)), "Default medium; with severity it sets the priority"),
        ]))

    static let updateCase: Schema = .named(
        "UpdateCase",
        .object([
            .optional("businessLine", .enumeration(BusinessLine.allCases.map(\.rawValue))),
            .optional("category", .enumeration(CaseCategory.all)),
            .optional("severity", .enumeration(Severity.allCases.map(\.rawValue))),
            .optional("description", .string(.init(minLength: 1, maxLength: CaseRules.defaultMaxDescriptionLength))),
            .optional("location", location),
            .optional("sensitive", .boolean),
            .optional("reporterName", .string(maxLength: 200)),
            .optional("reporterContact", .string(maxLength: 200)),
        ]))

    static let incidentCase: Schema = .named(
        "IncidentCase",
        .object([
            .required("id", .uuid), .required("reference", .string(.init(description: "Human reference, e.g. INC-2026-000123"))),
            .required("region", .string(.init())), .required("businessLine", .enumeration(BusinessLine.allCases.map(\.rawValue))),
            .required("category", .string(.init())), .required("severity", .enumeration(Severity.allCases.map(\.rawValue))),
            .required("status", .enumeration(CaseStatus.allCases.map(\.rawValue))), .required("description", .string(.init())),
            .optional("location", location), .required("sensitive", .boolean),
            .optional("reporterName", .string(.init())), .optional("reporterContact", .string(.init())),
            .optional("occurredAt", .dateTime), .required("createdAt", .dateTime), .required("createdBy", .string(.init())),
            .required("updatedAt", .dateTime), .required("version", .integer(), "Row version; send it back in If-Match"),
            .optional("waitingOn", .enumeration(WaitingOn.allCases.map(\.rawValue))),
            .optional("resolutionCode", .enumeration(ResolutionCode.allCases.map(\.rawValue))),
            .optional("resolvedAt", .dateTime), .optional("closedAt", .dateTime),
            .required("reopenCount", .integer(minimum: 0)),
            .optional("queueId", .uuid), .optional("assignee", .uuid), .optional("assignedAt", .dateTime), .optional("sopId", .uuid),
            .optional("subcategory", .string(.init())), .required("urgency", .enumeration(Urgency.allCases.map(\.rawValue))),
            .required("priority", .enumeration(Priority.allCases.map(\.rawValue))),
        ]))

    static let casePage: Schema = .named(
        "IncidentCasePage",
        .object([
            .required("items", .array(incidentCase)),
            .optional("nextCursor", .string(.init()), "Absent on the last page"),
        ]))
}

extension CaseSchemas {
    static let transition: Schema = .named(
        "CaseTransition",
        .object([
            .required("to", .enumeration(CaseStatus.allCases.filter { $0 != .assigned }.map(\.rawValue)), "The next status (see CaseLifecycle)"),
            .optional("waitingOn", .enumeration(WaitingOn.allCases.map(\.rawValue)), "Required when moving to waiting"),
            .optional("resolutionCode", .enumeration(ResolutionCode.allCases.map(\.rawValue)), "Required when resolving"),
            .optional("note", .string(maxLength: 10_000), "Why; recorded on the timeline"),
        ]))

    static let note: Schema = .named(
        "CaseNote",
        .object([
            .required("text", .string(.init(minLength: 1, maxLength: 10_000))),
            .optional("visibility", .enumeration(TimelineEntry.Visibility.allCases.map(\.rawValue)), "internal (default) or external"),
        ]))

    static let timelineEntry: Schema = .named(
        "TimelineEntry",
        .object([
            .required("id", .uuid), .required("caseId", .uuid), .required("at", .dateTime), .required("actor", .string(.init())),
            .required("kind", .enumeration(TimelineEntry.Kind.allCases.map(\.rawValue))),
            .required("visibility", .enumeration(TimelineEntry.Visibility.allCases.map(\.rawValue))),
            .optional("text", .string(.init())), .required("details", .freeObject),
        ]))

    static let timelinePage: Schema = .named(
        "TimelinePage",
        .object([
            .required("items", .array(timelineEntry)), .optional("nextCursor", .string(.init())),
        ]))
}

extension CaseSchemas {
    static let policy: Schema = .named(
        "SLAPolicy",
        .object([
            .required("region", .string(.init())), .required("businessLine", .enumeration(BusinessLine.allCases.map(\.rawValue))),
            .required("severity", .enumeration(Severity.allCases.map(\.rawValue))),
            .required("acknowledgeMinutes", .integer()), .required("firstActionMinutes", .integer()), .required("resolveMinutes", .integer()),
            .required("warningPercent", .integer()), .required("calendar", .enumeration(["24x7", "business"])),
            .required("isDefault", .boolean, "true: the built-in policy, used where the region has none"),
        ]))

    static let policyInput: Schema = .named(
        "SLAPolicyInput",
        .object([
            .required("region", .string(maxLength: 10)), .required("businessLine", .enumeration(BusinessLine.allCases.map(\.rawValue))),
            .required("severity", .enumeration(Severity.allCases.map(\.rawValue))),
            .required("acknowledgeMinutes", .integer(minimum: 1, maximum: 525_600)),
            .required("firstActionMinutes", .integer(minimum: 1, maximum: 525_600)),
            .required("resolveMinutes", .integer(minimum: 1, maximum: 525_600)),
            .optional("warningPercent", .integer(minimum: 1, maximum: 99), "Default 80"),
            .optional("calendar", .enumeration(["24x7", "business"]), "Default 24x7"),
        ]))

    static let clockCheck: Schema = .named(
        "SLAClockCheck",
        .object([
            .required("checked", .integer()),
            .required(
                "mismatches",
                .array(
                    .object([
                        .required("caseId", .string(.init())), .required("clock", .string(.init())), .required("field", .string(.init())),
                        .required("stored", .string(.init())), .required("recomputed", .string(.init())),
                    ]))),
        ]))
}
