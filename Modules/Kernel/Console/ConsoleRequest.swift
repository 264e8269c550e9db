import Foundation
import JSONCoding

/// A console request as a page handler sees it: signed in, its permission checked, a POST's CSRF
/// token checked. Pages read and write through `endpoints`, the domain's own API called in
/// process, so a page has exactly the API's permissions, region scoping, validation, audit,
/// versions and idempotency.
public struct ConsoleRequest: Sendable {
    public let invocation: Invocation
    public let context: DomainContext
    public let pathParameters: [String: String]
    public let query: [String: String]
    /// A POST's fields; empty for a GET.
    public let form: FormValues
    public let locale: ConsoleLocale
    public let endpoints: ConsoleEndpoints
    /// Texts in the viewer's language, for labels built in code (a status, a choice).
    public let text: ConsoleTexts
    /// The files of a page that takes uploads (`ConsolePage.upload`), by field name.
    public let uploads: [String: ConsoleUpload]

    public init(
        invocation: Invocation, context: DomainContext, pathParameters: [String: String], query: [String: String], form: FormValues, locale: ConsoleLocale,
        endpoints: ConsoleEndpoints, text: ConsoleTexts, uploads: [String: ConsoleUpload] = [:]
    ) {
        self.text = text
        self.uploads = uploads
        self.invocation = invocation
        self.context = context
        self.pathParameters = pathParameters
        self.query = query
        self.form = form
        self.locale = locale
        self.endpoints = endpoints
    }

    public var principal: Principal { invocation.principal }
    public func path(_ name: String) -> String { pathParameters[name] ?? "" }

    /// Reads through an endpoint of the page's domain: its JSON answer.
    public func read(_ operationID: String, path: [String: String] = [:], query: [String: String] = [:]) async throws -> JSONValue {
        let response = try await endpoints.call(operationID, path: path, query: query, body: nil, ifMatch: nil, idempotencyKey: nil)
        return try JSONValue.parse(response.body)
    }

    /// Submits this request's form to an endpoint: its fields become the endpoint's JSON body,
    /// typed by the endpoint's schema (see `FormValues.json(for:)`), plus `extra`; the form's
    /// `_version` goes as If-Match and its `_idem` as Idempotency-Key, so a stale form is refused
    /// and a form sent twice acts once. Field errors come back as a 422 `VigilError`.
    public func submit(_ operationID: String, path: [String: String] = [:], extra: [String: JSONValue] = [:]) async throws -> EndpointResponse {
        var body: JSONValue?
        if let schema = endpoints.requestSchema(operationID) {
            var (value, issues) = form.json(for: schema)
            if !issues.isEmpty { throw VigilError.invalid(issues) }
            if case .object(var members) = value {
                for (key, extraValue) in extra { members[key] = extraValue }
                value = .object(members)
            }
            body = value
        }
        return try await endpoints.call(
            operationID, path: path, query: [:], body: body, ifMatch: form.single("_version").flatMap { Int($0) },
            idempotencyKey: form.single("_idem").flatMap { $0.isEmpty ? nil : $0 })
    }

    /// The fields of an endpoint's body for the shared form partial: each with its label key
    /// (`field-<name>`), input kind, choices, the value to show and its error.
    public func formFields(_ operationID: String, values: FormValues? = nil, issues: [FieldIssue] = [], only names: [String]? = nil) -> [JSONValue] {
        guard let schema = endpoints.requestSchema(operationID) else { return [] }
        return ConsoleFormFields.fields(of: schema, values: values ?? form, issues: issues, only: names, text: text)
    }
}

/// How the host calls the domain's endpoints for a page; the host builds it.
public struct ConsoleEndpoints: Sendable {
    public typealias Call =
        @Sendable (_ operationID: String, _ path: [String: String], _ query: [String: String], _ body: JSONValue?, _ ifMatch: Int?, _ idempotencyKey: String?)
        async throws -> EndpointResponse

    private let callEndpoint: Call
    private let schemas: [String: Schema]

    public init(call: @escaping Call, requestSchemas: [String: Schema]) {
        self.callEndpoint = call
        self.schemas = requestSchemas
    }

    public func call(
        _ operationID: String, path: [String: String], query: [String: String], body: JSONValue?, ifMatch: Int?, idempotencyKey: String?
    ) async throws -> EndpointResponse {
        try await callEndpoint(operationID, path, query, body, ifMatch, idempotencyKey)
    }

    public func requestSchema(_ operationID: String) -> Schema? { schemas[operationID] }
}

/// The viewer's language and time zone: their own choice, else the browser's, else the region's.
public struct ConsoleLocale: Sendable, Hashable {
    /// One of `ConsoleLocale.languages`.
    public let language: String
    /// The viewer's chosen zone; nil shows each record in its region's zone.
    public let timeZone: TimeZone?

    public static let languages = ["pt-BR", "en", "zh-CN"]

    public init(language: String, timeZone: TimeZone? = nil) {
        self.language = ConsoleLocale.languages.contains(language) ? language : "en"
        self.timeZone = timeZone
    }

    /// A date and time as this viewer reads them, in `zone` (the record's region's) unless they chose one.
    public func dateTime(_ date: Date, zone: TimeZone?) -> String {
        let style = Date.FormatStyle(date: .abbreviated, time: .shortened, locale: Locale(identifier: language), timeZone: timeZone ?? zone ?? .gmt)
        return date.formatted(style)
    }
}
