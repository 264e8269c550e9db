import Kernel
import WorkAssignment

enum DeskSchemas {
    static let queue: Schema = .named(
        "CaseQueue",
        .object([
            .required("id", .uuid), .required("region", .string(.init())), .required("name", .string(.init())),
            .optional("businessLine", .enumeration(BusinessLine.allCases.map(\.rawValue))), .optional("category", .string(.init())),
            .optional("requiredSkill", .string(.init())), .optional("requiredLanguage", .string(.init())),
            .required("strategy", .enumeration(AssignmentStrategy.allCases.map(\.rawValue))), .required("version", .integer()),
        ]))

    static let queueInput: Schema = .named(
        "QueueInput",
        .object([
            .required("region", .string(maxLength: 10)), .required("name", .string(maxLength: 80, minLength: 1)),
            .optional("businessLine", .enumeration(BusinessLine.allCases.map(\.rawValue))), .optional("category", .enumeration(CaseCategory.all)),
            .optional("requiredSkill", .string(maxLength: 40)), .optional("requiredLanguage", .enumeration(DeskLanguage.all)),
            .required("strategy", .enumeration(AssignmentStrategy.allCases.map(\.rawValue))),
        ]))

    static let analyst: Schema = .named(
        "Analyst",
        .object([
            .required("userId", .uuid), .required("name", .string(.init())), .required("actor", .string(.init())), .required("region", .string(.init())),
            .required("skills", .array(.string(.init()))), .required("languages", .array(.string(.init()))), .required("capacity", .integer()),
            .required("sensitiveOK", .boolean), .required("activeCases", .integer()), .optional("lastAssignedAt", .dateTime),
        ]))

    static let analystInput: Schema = .named(
        "AnalystInput",
        .object([
            .required("email", .string(.init(maxLength: 254, format: "email"))), .required("region", .string(maxLength: 10)),
            .required("skills", .array(.string(maxLength: 40), maxItems: 30)), .required("languages", .array(.enumeration(DeskLanguage.all), maxItems: 4)),
            .required("capacity", .integer(minimum: 1, maximum: 100)), .optional("sensitiveOK", .boolean),
        ]))

    static let shift: Schema = .named(
        "ShiftEntry",
        .object([
            .required("id", .uuid), .required("region", .string(.init())), .required("userId", .uuid),
            .required("role", .enumeration(ShiftEntry.Role.allCases.map(\.rawValue))), .required("startsAt", .dateTime), .required("endsAt", .dateTime),
            .required("kind", .enumeration(ShiftEntry.Kind.allCases.map(\.rawValue))), .optional("approvedBy", .string(.init())),
            .optional("note", .string(.init())),
        ]))

    static let shiftInput: Schema = .named(
        "ShiftInput",
        .object([
            .required("email", .string(.init(maxLength: 254, format: "email"))), .required("region", .string(maxLength: 10)),
            .required("role", .enumeration(ShiftEntry.Role.allCases.map(\.rawValue))), .required("startsAt", .dateTime), .required("endsAt", .dateTime),
            .optional("kind", .enumeration(ShiftEntry.Kind.allCases.map(\.rawValue))), .optional("note", .string(maxLength: 500)),
        ]))

    static let assign: Schema = .named(
        "AssignCase",
        .object([
            .required("assignee", .string(.init(maxLength: 254, format: "email")), "The analyst's email"),
            .optional("overCapacity", .boolean, "Assign even if the analyst is at capacity (audited)"),
        ]))

    static let rebalanced: Schema = .named("Rebalanced", .object([.required("assigned", .integer())]))
}
