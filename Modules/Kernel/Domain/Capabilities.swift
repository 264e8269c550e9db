import Foundation
import Synchronization

/// Where domains offer services to each other without importing each other: a protocol declared
/// in the Kernel, provided by one domain, looked up by another. A domain that is not in the build
/// simply provides nothing, and the lookup answers nil.
public final class CapabilityDirectory: Sendable {
    private let entries = Mutex<[ObjectIdentifier: ProvidedCapability]>([:])

    public init() {}

    public func register(_ capability: ProvidedCapability) {
        entries.withLock { $0[capability.key] = capability }
    }

    public func lookup<Capability>(_ type: Capability.Type) -> Capability? {
        entries.withLock { $0[ObjectIdentifier(type)]?.value as? Capability }
    }

    /// The names of the capabilities on offer, for `vigil domains`.
    public var offered: [String] { entries.withLock { $0.values.map(\.name).sorted() } }
}

/// One capability as a domain offers it: `ProvidedCapability((any AgentPerformance).self, provider)`.
public struct ProvidedCapability: Sendable {
    let key: ObjectIdentifier
    let value: any Sendable
    public let name: String

    public init<Capability>(_ type: Capability.Type, _ value: Capability) where Capability: Sendable {
        self.key = ObjectIdentifier(type)
        self.value = value
        self.name = String(describing: type)
    }
}
