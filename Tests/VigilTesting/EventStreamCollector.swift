import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Synchronization

/// A Server-Sent Events stream read in the background: the events' names (and comments) as they
/// arrive, for a test to wait on with a deadline.
public final class EventStreamCollector: Sendable {
    public let status: Int
    private let received = Mutex<[String]>([])
    private let ended = Mutex(false)
    private let reader: Mutex<Task<Void, Never>?> = Mutex(nil)

    /// Opens `path` with the given cookies and headers; returns once the response head is in.
    public static func open(_ baseURL: String, _ path: String, headers: [String: String]) async throws -> EventStreamCollector {
        var request = HTTPClientRequest(url: baseURL + path)
        request.headers.add(name: "Accept", value: "text/event-stream")
        for (name, value) in headers { request.headers.replaceOrAdd(name: name, value: value) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(600))
        let collector = EventStreamCollector(status: Int(response.status.code))
        let task = Task {
            var pending = ""
            do {
                for try await chunk in response.body {
                    pending += String(decoding: chunk.readableBytesView, as: UTF8.self)
                    while let end = pending.range(of: "\n\n") {
                        let block = String(pending[..<end.lowerBound])
                        pending = String(pending[end.upperBound...])
                        collector.record(block)
                    }
                }
            } catch {}
            collector.ended.withLock { $0 = true }
        }
        collector.reader.withLock { $0 = task }
        return collector
    }

    private init(status: Int) { self.status = status }

    private func record(_ block: String) {
        for line in block.split(separator: "\n") {
            if line.hasPrefix("event: ") { received.withLock { $0.append(String(line.dropFirst(7))) } }
            if line.hasPrefix(": ") { received.withLock { $0.append("#" + line.dropFirst(2)) } }
        }
    }

    /// Every event name so far, comments as `#text`.
    public var events: [String] { received.withLock { $0 } }
    public var isEnded: Bool { ended.withLock { $0 } }

    /// Waits until `count` events named `name` have come, or `within` has passed; whether they came.
    public func wait(for name: String, count: Int = 1, within: Duration) async -> Bool {
        let deadline = ContinuousClock.now + within
        while ContinuousClock.now < deadline {
            if events.filter({ $0 == name }).count >= count { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return events.filter { $0 == name }.count >= count
    }

    /// Waits until the server ends the stream, or `within` has passed; whether it ended.
    public func waitForEnd(within: Duration) async -> Bool {
        let deadline = ContinuousClock.now + within
        while ContinuousClock.now < deadline && !isEnded { try? await Task.sleep(for: .milliseconds(20)) }
        return isEnded
    }

    public func cancel() { reader.withLock { $0 }?.cancel() }
}
