import Foundation

/// The one error type every layer speaks. The HTTP layer renders it as RFC 9457 problem+json and
/// the CLI prints its message and exits with `exitCode`; nothing else needs a mapping.
public struct VigilError: Error, Sendable, CustomStringConvertible {
    public let kind: Kind
    public let detail: String
    public let fields: [FieldIssue]
    /// For `.tooManyRequests`: when to try again (the Retry-After header).
    public var retryAfterSeconds: Int?

    public init(_ kind: Kind, _ detail: String, fields: [FieldIssue] = []) {
        self.kind = kind
        self.detail = detail
        self.fields = fields
    }

    public enum Kind: String, Sendable, CaseIterable {
        case badRequest = "bad-request"
        case malformedBody = "malformed-body"
        case validation = "validation"
        case unauthorized = "unauthorized"
        case forbidden = "forbidden"
        case notFound = "not-found"
        case methodNotAllowed = "method-not-allowed"
        case conflict = "conflict"
        case preconditionFailed = "stale-version"
        case preconditionRequired = "version-required"
        case payloadTooLarge = "payload-too-large"
        case unsupportedMediaType = "unsupported-media-type"
        case idempotencyMismatch = "idempotency-key-reused"
        /// A computed amount or date beyond what Vigil can represent (a total past 2^63 minor units).
        case outOfRange = "out-of-range"
        case tooManyRequests = "too-many-requests"
        case unavailable = "unavailable"
        case `internal` = "internal"

        public var status: Int {
            switch self {
            case .badRequest, .malformedBody: 400
            case .unauthorized: 401
            case .forbidden: 403
            case .notFound: 404
            case .methodNotAllowed: 405
            case .conflict: 409
            case .preconditionFailed: 412
            case .payloadTooLarge: 413
            case .unsupportedMediaType: 415
            case .validation, .idempotencyMismatch, .outOfRange: 422
            case .tooManyRequests: 429
            case .preconditionRequired: 428
            case .internal: 500
            case .unavailable: 503
            }
        }

        public var title: String {
            switch self {
            case .badRequest: "Bad request"
            case .malformedBody: "Malformed request body"
            case .validation: "Validation failed"
            case .unauthorized: "Authentication required"
            case .forbidden: "Forbidden"
            case .notFound: "Not found"
            case .methodNotAllowed: "Method not allowed"
            case .conflict: "Conflict"
            case .preconditionFailed: "Stale version"
            case .preconditionRequired: "Version required"
            case .payloadTooLarge: "Payload too large"
            case .unsupportedMediaType: "Unsupported media type"
            case .idempotencyMismatch: "Idempotency key reused with a different request"
            case .outOfRange: "Result out of range"
            case .tooManyRequests: "Too many requests"
            case .unavailable: "Service unavailable"
            case .internal: "Internal error"
            }
        }

        /// sysexits(3) codes, so scripts can tell a bad input from a missing record or a refusal.
        public var exitCode: Int32 {
            switch self {
            case .badRequest, .malformedBody, .validation, .idempotencyMismatch, .unsupportedMediaType, .payloadTooLarge, .outOfRange: 65
            case .notFound: 66
            case .unavailable, .tooManyRequests: 69
            case .internal: 70
            case .conflict, .preconditionFailed, .preconditionRequired: 75
            case .unauthorized, .forbidden, .methodNotAllowed: 77
            }
        }
    }

    /// The problem `type` URI; stable, documented in docs/API.md.
    public var typeURI: String { "https://vigil.dev/problems/\(kind.rawValue)" }

    public var description: String {
        guard !fields.isEmpty else { return detail }
        return detail + "\n" + fields.map { "  \($0.field): \($0.message)" }.joined(separator: "\n")
    }

    public static func notFound(_ what: String) -> VigilError {
        VigilError(.notFound, "\(what) does not exist or is not visible to you")
    }

    /// A computed value that does not fit (see `MoneySum`).
    public static func outOfRange(_ what: String) -> VigilError {
        VigilError(.outOfRange, "\(what) is beyond the range Vigil can compute (±9,223,372,036,854,775,807 minor units); look for a mistyped amount")
    }

    public static func invalid(_ fields: [FieldIssue]) -> VigilError {
        VigilError(.validation, fields.count == 1 ? "1 field is invalid" : "\(fields.count) fields are invalid", fields: fields)
    }

    public static func invalid(_ field: String, _ code: FieldIssue.Code, _ message: String) -> VigilError {
        invalid([FieldIssue(field, code, message)])
    }

    public static func stale(expected: Int, current: Int) -> VigilError {
        VigilError(.preconditionFailed, "the record changed since you read it: you sent version \(expected), it is now at version \(current); reload and retry")
    }
}

/// One field's problem: where (a JSON pointer-like path), a machine code and a sentence.
public struct FieldIssue: Sendable, Codable, Hashable {
    public enum Code: String, Sendable, Codable {
        case required, unknownField = "unknown-field", type, format, tooLong = "too-long", tooShort = "too-short"
        case outOfRange = "out-of-range", notAllowed = "not-allowed", invalid
    }

    public let field: String
    public let code: Code
    public let message: String

    public init(_ field: String, _ code: Code, _ message: String) {
        self.field = field
        self.code = code
        self.message = message
    }
}

/// Collects field problems so a request reports all of them at once, not the first only.
public struct Validator: Sendable {
    public private(set) var issues: [FieldIssue] = []
    public init() {}

    public mutating func add(_ field: String, _ code: FieldIssue.Code, _ message: String) {
        issues.append(FieldIssue(field, code, message))
    }

    public mutating func check(_ condition: Bool, _ field: String, _ code: FieldIssue.Code, _ message: @autoclosure () -> String) {
        if !condition { add(field, code, message()) }
    }

    public func finish() throws(VigilError) {
        if !issues.isEmpty { throw VigilError.invalid(issues) }
    }
}

extension Optional {
    /// A value the code has every reason to find (the row a transaction has just written): its
    /// absence is a bug or a concurrent deletion, reported as an internal error, not a trap.
    public func orInternal(_ what: @autoclosure () -> String) throws(VigilError) -> Wrapped {
        guard let self else { throw VigilError(.internal, "\(what()) was not found where it was just written") }
        return self
    }
}
