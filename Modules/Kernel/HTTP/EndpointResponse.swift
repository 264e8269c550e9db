import Foundation
import JSONCoding

public struct EndpointResponse: Sendable {
    public var status: Int
    public var body: Data
    public var contentType: String
    /// ETag (the row version) and Location, where they apply.
    public var etag: String?
    public var location: String?
    public var replayed: Bool
    /// Other headers (Set-Cookie of a sign-in, say).
    public var headers: [String: String] = [:]
    /// A body produced piece by piece as the client reads it (exports), instead of `body`.
    public var stream: (@Sendable () -> any ByteChunkSource)?

    public init(status: Int, body: Data, contentType: String = "application/json", etag: String? = nil, location: String? = nil, replayed: Bool = false) {
        self.status = status
        self.body = body
        self.contentType = contentType
        self.etag = etag
        self.location = location
        self.replayed = replayed
    }

    /// JSON with the product's encoding; `version` becomes the ETag clients send back in If-Match.
    public static func json(_ value: some Encodable, status: Int = 200, version: Int? = nil, location: String? = nil) throws -> EndpointResponse {
        EndpointResponse(status: status, body: try StreamingJSON.encode(value), etag: version.map { "\"\($0)\"" }, location: location)
    }

    /// A body streamed from `source`, pulled one chunk at a time, so that a large export holds
    /// one chunk in memory, not the whole file.
    public static func streaming(contentType: String, headers: [String: String] = [:], _ source: @escaping @Sendable () -> any ByteChunkSource)
        -> EndpointResponse
    {
        var response = EndpointResponse(status: 200, body: Data(), contentType: contentType)
        response.headers = headers
        response.stream = source
        return response
    }

    public static var noContent: EndpointResponse { EndpointResponse(status: 204, body: Data(), contentType: "") }

    /// Reads a version from an If-Match value: `"3"`, `W/"3"` or `3`.
    public static func parseVersion(ifMatch: String) -> Int? {
        var text = ifMatch.trimmingCharacters(in: .whitespaces)
        if text.hasPrefix("W/") { text.removeFirst(2) }
        text = text.trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        guard let version = Int(text), version >= 0 else { return nil }
        return version
    }
}

/// Where a streamed body comes from: the next chunk, nil at the end.
public protocol ByteChunkSource: AnyObject {
    func next() async throws -> [UInt8]?
}
