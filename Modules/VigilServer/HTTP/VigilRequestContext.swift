import Hummingbird
import Kernel

/// Per-request state: the request id every log line, problem and audit record carries.
public struct VigilRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var requestID: String = ""
    /// The peer's IP address (no port), for sign-in throttling.
    public let clientAddress: String?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        clientAddress = source.channel.remoteAddress?.ipAddress
    }
}
