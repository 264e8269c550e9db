import Foundation
import HTTPTypes
import Hummingbird
import Kernel
import NIOCore
import ServiceLifecycle
import VigilServer

/// GET /console/live?domains=incident-ops: the Server-Sent Events a live page listens to. Each
/// event says only "changed" (the page refreshes itself through its scoped handler); its id is the
/// instant (ms) the feed read the change — everything committed before it is in the next fetch —
/// not an outbox position, so the stream reveals nothing about how much happens in regions the
/// viewer may not see. A reconnect (Last-Event-ID sent) gets a change at once: the catch-up.
/// A comment every `heartbeat` keeps proxies from closing the stream and rechecks the session;
/// once it has ended the browser is told `signed-out` and the stream closes.
struct LiveStream: Sendable {
    let console: Console
    let hub: LiveHub
    let heartbeat: Duration

    func mount(on router: Router<VigilRequestContext>) {
        router.get("/console/live") { request, _ in try await stream(request) }
    }

    func stream(_ request: Request) async throws -> Response {
        guard let viewer = try await console.sessions.viewer(for: request) else {
            return Response(status: .unauthorized, headers: [.contentType: "text/plain; charset=utf-8", .cacheControl: "no-store"])
        }
        let known = Set(console.runtime.registry.modules.map { $0.id })
        let asked = (request.uri.queryParameters["domains"].map(String.init) ?? "").split(separator: ",").compactMap { DomainID(stored: String($0)) }
        let domains = Set(asked).intersection(known)
        guard !domains.isEmpty else {
            return Response(
                status: .badRequest, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: "no such domain")))
        }
        guard let (id, positions) = hub.listen(domains: domains, regions: viewer.principal.regions) else {
            return Response(status: .serviceUnavailable, headers: [.retryAfter: "10", .cacheControl: "no-store"])
        }
        let catchUp = request.headers[HTTPField.Name("Last-Event-ID")!] != nil
        let sessions = console.sessions
        let hub = self.hub
        let heartbeat = self.heartbeat
        let body = ResponseBody { writer in
            let beats = Task {
                while !Task.isCancelled {
                    try await Task.sleep(for: heartbeat)
                    hub.beat(id)
                }
            }
            defer {
                beats.cancel()
                hub.leave(id)
            }
            try await writer.write(ByteBuffer(string: "retry: 2000\n: live\n\n"))
            if catchUp { try await writer.write(LiveStream.change(at: Int64(Date().timeIntervalSince1970 * 1000))) }
            await withGracefulShutdownHandler {
                do {
                    for await instant in positions {
                        if instant == LiveHub.heartbeat {
                            guard try await sessions.viewer(for: request) != nil else {
                                try await writer.write(ByteBuffer(string: "event: signed-out\ndata: {}\n\n"))
                                break
                            }
                            try await writer.write(ByteBuffer(string: ": beat\n\n"))
                        } else {
                            try await writer.write(LiveStream.change(at: instant))
                        }
                    }
                } catch {
                    // The browser went away: nothing to tell anyone.
                }
            } onGracefulShutdown: {
                hub.leave(id)
            }
            try await writer.finish(nil)
        }
        return Response(
            status: .ok,
            headers: [.contentType: "text/event-stream", .cacheControl: "no-store", HTTPField.Name("X-Accel-Buffering")!: "no"],
            body: body)
    }

    static func change(at instant: Int64) -> ByteBuffer {
        ByteBuffer(string: "id: \(instant)\nevent: change\ndata: {}\n\n")
    }
}
