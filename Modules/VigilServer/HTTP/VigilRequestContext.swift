import Hummingbird
import Kernel

/// Per-request state: the request id every log line, problem and audit record carries.
public struct VigilRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var requestID: String = ""

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }
}
