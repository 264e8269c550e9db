import Foundation

/// A page of the web console as a domain declares it, beside its endpoints: the host mounts it
/// under /console/<domain>, signs the viewer in, checks `permission` (and the CSRF token of a
/// POST) before the handler runs, and lists `navigation` entries in the menu of those who hold
/// the permission. A region build therefore shows only the pages of its domains.
public struct ConsolePage: Sendable {
    public enum Method: String, Sendable { case get = "GET", post = "POST" }

    public let method: Method
    /// Relative to /console/<domain>; `{name}` marks a path parameter: `/cases/{id}`.
    public let path: String
    /// nil: any signed-in person may open it (the handler and the endpoints it calls still check).
    public let permission: Permission?
    public let navigation: ConsoleNavigation?
    /// For a POST that takes files: the largest body it accepts (a multipart form); nil for an
    /// ordinary form, which the host keeps small.
    public var uploadLimit: Int?
    public let handler: @Sendable (ConsoleRequest) async throws -> ConsoleResponse

    public init(
        _ method: Method, _ path: String, permission: Permission?, navigation: ConsoleNavigation? = nil,
        handler: @escaping @Sendable (ConsoleRequest) async throws -> ConsoleResponse
    ) {
        self.method = method
        self.path = path
        self.permission = permission
        self.navigation = navigation
        self.handler = handler
    }

    public static func get(
        _ path: String, permission: Permission?, navigation: ConsoleNavigation? = nil,
        handler: @escaping @Sendable (ConsoleRequest) async throws -> ConsoleResponse
    ) -> ConsolePage {
        ConsolePage(.get, path, permission: permission, navigation: navigation, handler: handler)
    }

    public static func post(_ path: String, permission: Permission?, handler: @escaping @Sendable (ConsoleRequest) async throws -> ConsoleResponse)
        -> ConsolePage
    {
        ConsolePage(.post, path, permission: permission, handler: handler)
    }

    /// A POST whose form carries files (up to `limit` bytes in all), in `ConsoleRequest.uploads`.
    public static func upload(
        _ path: String, permission: Permission?, limit: Int, handler: @escaping @Sendable (ConsoleRequest) async throws -> ConsoleResponse
    ) -> ConsolePage {
        var page = ConsolePage(.post, path, permission: permission, handler: handler)
        page.uploadLimit = limit
        return page
    }

    /// The names of `{…}` segments of the path, in order.
    public var pathParameters: [String] {
        path.split(separator: "/").compactMap { segment in
            segment.hasPrefix("{") && segment.hasSuffix("}") ? String(segment.dropFirst().dropLast()) : nil
        }
    }
}

/// An entry of the console's menu: the catalog key of its label, and its place among the
/// domain's entries (lower first).
public struct ConsoleNavigation: Sendable, Hashable {
    public let labelKey: String
    public let order: Int
    /// A single key that opens it from anywhere (`g` then this key), if any.
    public let shortcut: Character?

    public init(_ labelKey: String, order: Int, shortcut: Character? = nil) {
        self.labelKey = labelKey
        self.order = order
        self.shortcut = shortcut
    }
}
