import AsyncHTTPClient
import Crypto
import Foundation
import JSONCoding
import Kernel
import NIOCore
import NIOHTTP1

/// Outbound webhooks as outbox subscribers: each event is POSTed as JSON, signed with
/// HMAC-SHA256 when a secret is set (`X-Vigil-Signature: sha256=<hex>`); anything but a 2xx is a
/// failed delivery that the dispatcher retries with backoff.
enum WebhookSubscriber {
    static func subscription(_ settings: RuntimeSettings.WebhookSettings, client: HTTPClient = .shared) -> EventSubscription {
        EventSubscription(name: "webhook.\(settings.name)", eventTypes: settings.eventTypes) { event in
            let body = try VigilJSON.encoder.encode(event)
            var request = HTTPClientRequest(url: settings.url)
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/json")
            request.headers.add(name: "User-Agent", value: "vigil-webhook")
            request.headers.add(name: "X-Vigil-Event", value: event.type)
            request.headers.add(name: "X-Vigil-Delivery", value: event.id)
            if let secret = settings.secret {
                let mac = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Data(secret.utf8)))
                request.headers.add(name: "X-Vigil-Signature", value: "sha256=" + Hex.encode(mac))
            }
            request.body = .bytes(ByteBuffer(data: body))
            let response = try await client.execute(request, timeout: .seconds(10))
            guard (200..<300).contains(response.status.code) else {
                throw VigilError(.unavailable, "webhook \(settings.name) answered \(response.status.code)")
            }
        }
    }
}
