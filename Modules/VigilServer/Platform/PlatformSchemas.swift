import Foundation
import Kernel

/// Request and response shapes of the platform's own endpoints.
enum PlatformSchemas {
    static let user: Schema = .named(
        "User",
        .object([
            .required("id", .uuid), .required("email", .string(.init(format: "email"))), .required("name", .string(.init())),
            .required("roles", .array(.string(.init()))), .required("regions", .freeObject, "{\"all\":{}} or {\"only\":{\"_0\":[…]}}"),
            .required("active", .boolean), .required("createdAt", .dateTime), .required("updatedAt", .dateTime), .required("version", .integer()),
        ]))

    static let login: Schema = .named(
        "SignIn",
        .object([
            .required("email", .string(.init(maxLength: 254, format: "email"))),
            .required("password", .string(.init(minLength: 1, maxLength: 200))),
        ]))

    static let session: Schema = .named(
        "Session",
        .object([
            .required("token", .string(.init(), ), "Session secret; also set as the vigil_session cookie"),
            .required("expiresAt", .dateTime), .required("user", user),
        ]))

    static let me: Schema = .named(
        "Me",
        .object([
            .required("actor", .string(.init())), .required("kind", .enumeration(["user", "token", "system", "anonymous"])),
            .required("displayName", .string(.init())), .required("roles", .array(.string(.init()))),
            .required("permissions", .array(.string(.init()))), .required("regions", .nullable(.array(.string(.init()))), "null: every region"),
        ]))

    static let auditRecord: Schema = .named(
        "AuditRecord",
        .object([
            .required("sequence", .integer()), .required("id", .uuid), .required("at", .dateTime), .required("domain", .string(.init())),
            .required("actor", .string(.init())), .required("channel", .string(.init())), .required("action", .string(.init())),
            .required("entity", .string(.init())), .optional("region", .string(.init())),
            .required("changes", .array(.freeObject)), .required("requestId", .string(.init())), .optional("reason", .string(.init())),
            .required("hash", .string(.init())), .optional("previousHash", .string(.init())),
            .required("redacted", .boolean, "Values and reason withheld: you may audit this record but not read it"),
        ]))

    static let domain: Schema = .named(
        "Domain",
        .object([
            .required("id", .string(.init())), .required("title", .string(.init())), .required("version", .string(.init())),
        ]))
}
