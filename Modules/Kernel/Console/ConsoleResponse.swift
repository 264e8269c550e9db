import Foundation
import JSONCoding

/// What a console page answers: a page rendered from one of its domain's templates, or a
/// redirect after a form (post, redirect, get: a reload never submits twice).
public enum ConsoleResponse: Sendable {
    case page(ConsoleView)
    case redirect(to: String, flash: ConsoleFlash?)
    /// A file to download (a CSV export, a printable handover).
    case download(contentType: String, filename: String, body: Data)

    public static func redirect(_ to: String, _ flash: ConsoleFlash? = nil) -> ConsoleResponse { .redirect(to: to, flash: flash) }
}

/// A template of the page's domain (`cases` is Resources/templates/cases.mustache), its title
/// (a catalog key) and its data. The data is JSON so that an endpoint's answer can be shown as
/// it is; its keys must not begin with `_`, which the host keeps for itself (`_t`, `_csrf`, …).
public struct ConsoleView: Sendable {
    public let template: String
    public let titleKey: String
    public var data: [String: JSONValue]
    public var status: Int
    /// A title that is data (a case's reference), shown after the catalog title.
    public var titleDetail: String?
    /// Whether the page follows its domain's changes as they happen: the browser listens on
    /// /console/live and refreshes the page's `data-live-region` parts when the domain changes.
    public var live = false
    /// Whether the page offers its viewer's saved filters (a list page): the host adds them as
    /// `savedFilters` for the shared `saved-filters` partial.
    public var savedFilters = false
    /// Reload the page every so many seconds (a job's progress), without script.
    public var refreshSeconds: Int?

    public init(_ template: String, title titleKey: String, data: [String: JSONValue] = [:], status: Int = 200, titleDetail: String? = nil) {
        self.template = template
        self.titleKey = titleKey
        self.data = data
        self.status = status
        self.titleDetail = titleDetail
    }
}

/// A message shown once on the next page: a catalog key and the values its text names.
public struct ConsoleFlash: Sendable, Codable, Hashable {
    public enum Kind: String, Sendable, Codable { case success, error }
    public let kind: Kind
    public let key: String
    public let values: [String: String]

    public init(_ kind: Kind, _ key: String, _ values: [String: String] = [:]) {
        self.kind = kind
        self.key = key
        self.values = values
    }

    public static func success(_ key: String, _ values: [String: String] = [:]) -> ConsoleFlash { .init(.success, key, values) }
    public static func error(_ key: String, _ values: [String: String] = [:]) -> ConsoleFlash { .init(.error, key, values) }
}
