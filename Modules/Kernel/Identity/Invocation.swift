import Foundation

/// One request to change something: who asks, through which channel, under which request id
/// and, where given, why. The audit log records all of it.
public struct Invocation: Sendable {
    public enum Channel: String, Sendable, Codable { case http, console, cli, job, event }

    public let principal: Principal
    public let channel: Channel
    public let requestID: String
    public let reason: String?

    public init(principal: Principal, channel: Channel, requestID: String, reason: String? = nil) {
        self.principal = principal
        self.channel = channel
        self.requestID = requestID
        self.reason = reason
    }
}
