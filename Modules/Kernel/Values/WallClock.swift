import Foundation
import Synchronization

/// The time source of every rule that depends on "now" (SLA clocks, expiries, references), so that
/// tests can stop time. Named WallClock to stay clear of the standard library's `Clock`.
public protocol WallClock: Sendable {
    func now() -> Date
}

public struct SystemWallClock: WallClock {
    public init() {}
    public func now() -> Date { Date() }
}

/// A clock that moves only when told to.
public final class FixedWallClock: WallClock {
    private let current: Mutex<Date>

    public init(_ start: Date) { current = Mutex(start) }

    /// 2026-01-15T12:00:00Z: a fixed, unremarkable instant for tests.
    public convenience init() { self.init(Date(timeIntervalSince1970: 1_768_478_400)) }

    public func now() -> Date { current.withLock { $0 } }
    public func advance(by seconds: TimeInterval) { current.withLock { $0 += seconds } }
    public func set(_ date: Date) { current.withLock { $0 = date } }
}

extension Date {
    /// Storage form of instants: integer microseconds since the Unix epoch, UTC, identical on
    /// SQLite and PostgreSQL and ordered as numbers.
    /// Instants beyond what 64 bits of microseconds hold (about 292,000 years either way; input
    /// is refused long before, at four-digit years) are clamped rather than trapping.
    public var epochMicros: Int64 {
        let micros = (timeIntervalSince1970 * 1_000_000).rounded()
        guard micros.isFinite else { return micros.isNaN ? 0 : (micros > 0 ? .max : .min) }
        return Int64(exactly: micros) ?? (micros > 0 ? .max : .min)
    }
    public init(epochMicros: Int64) { self.init(timeIntervalSince1970: Double(epochMicros) / 1_000_000) }
}
