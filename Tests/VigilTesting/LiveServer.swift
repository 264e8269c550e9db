import AsyncHTTPClient
import Foundation
import Hummingbird
import JSONCoding
import Kernel
import NIOCore
import NIOHTTP1
import ServiceLifecycle
import VigilConsole
import VigilServer

/// The real server on a free loopback port, for end-to-end tests, stopped by a graceful shutdown
/// as SIGTERM would.
public final class LiveServer: Sendable {
    public let baseURL: String
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    public static func start(_ runtime: VigilRuntime, liveHeartbeat: Duration = .seconds(15)) async throws -> LiveServer {
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let console = try ConsoleServer(registry: runtime.registry, liveHeartbeat: liveHeartbeat)
        let app = VigilServer.buildApplication(runtime, host: "127.0.0.1", port: 0, extensions: [console]) { port in continuation.yield(port) }
        let group = ServiceGroup(configuration: .init(services: [app], logger: runtime.logger))
        let task = Task { try await group.run() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw VigilError(.unavailable, "the server did not start") }
        return LiveServer(baseURL: "http://127.0.0.1:\(port)", group: group, task: task)
    }

    private init(baseURL: String, group: ServiceGroup, task: Task<Void, any Error>) {
        self.baseURL = baseURL
        self.group = group
        self.task = task
    }

    public func stop() async throws {
        await group.triggerGracefulShutdown()
        try await task.value
    }
}

/// A response as tests look at it.
public struct TestResponse: Sendable {
    public let status: Int
    public let headers: [String: String]
    public let body: Data

    public var json: JSONValue? { try? VigilJSON.decoder.decode(JSONValue.self, from: body) }
    public var text: String { String(decoding: body, as: UTF8.self) }

    public func decode<T: Decodable>(_ type: T.Type) throws -> T { try VigilJSON.decoder.decode(type, from: body) }

    public subscript(header name: String) -> String? { headers[name.lowercased()] }

    /// The field issues of a problem+json body, as "field:code".
    public var problemFields: [String] {
        guard case .object(let members)? = json, case .array(let errors)? = members["errors"] else { return [] }
        return errors.compactMap { error in
            guard case .object(let issue) = error, case .string(let field)? = issue["field"], case .string(let code)? = issue["code"] else { return nil }
            return "\(field):\(code)"
        }
    }
}

/// A small HTTP client over AsyncHTTPClient for tests.
public struct TestClient: Sendable {
    public let baseURL: String
    public let token: String?
    public let timeout: Int64

    public init(baseURL: String, token: String?, timeoutSeconds: Int64 = 120) {
        self.baseURL = baseURL
        self.token = token
        self.timeout = timeoutSeconds
    }

    public func request(_ method: String, _ path: String, json: String? = nil, body: Data? = nil, headers: [String: String] = [:]) async throws -> TestResponse
    {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = HTTPMethod(rawValue: method)
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let json {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: json))
        } else if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(data: body))
        }
        for (name, value) in headers { request.headers.replaceOrAdd(name: name, value: value) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(timeout))
        let buffer = try await response.body.collect(upTo: 32 << 20)
        var collected: [String: String] = [:]
        for header in response.headers { collected[header.name.lowercased()] = header.value }
        return TestResponse(status: Int(response.status.code), headers: collected, body: Data(buffer.readableBytesView))
    }

    public func get(_ path: String, headers: [String: String] = [:]) async throws -> TestResponse { try await request("GET", path, headers: headers) }
    public func post(_ path: String, _ json: String, headers: [String: String] = [:]) async throws -> TestResponse {
        try await request("POST", path, json: json, headers: headers)
    }
    public func patch(_ path: String, _ json: String, headers: [String: String] = [:]) async throws -> TestResponse {
        try await request("PATCH", path, json: json, headers: headers)
    }
}
