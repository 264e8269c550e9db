import Foundation
import Synchronization

/// Row ids: time-ordered so that inserts append to indexes and ids sort by creation.
public protocol IDGenerator: Sendable {
    func next() -> UUID
}

/// UUID version 7 (RFC 9562): 48 bits of Unix milliseconds, then a 12-bit counter that keeps ids
/// from one process strictly increasing within a millisecond, then 62 random bits.
public final class UUIDv7Generator: IDGenerator {
    private struct State { var millis: UInt64 = 0; var counter: UInt16 = 0 }
    private let state = Mutex(State())
    private let clock: any WallClock

    public init(clock: any WallClock = SystemWallClock()) { self.clock = clock }

    public func next() -> UUID {
        let nowMillis = UInt64(max(0, clock.now().timeIntervalSince1970 * 1000))
        let (millis, counter) = state.withLock { state -> (UInt64, UInt16) in
            if nowMillis > state.millis {
                state.millis = nowMillis
                state.counter = UInt16.random(in: 0...0x3FF)
            } else if state.counter < 0xFFF {
                state.counter += 1
            } else {
                // Counter exhausted (or the clock went back): borrow the next millisecond.
                state.millis += 1
                state.counter = 0
            }
            return (state.millis, state.counter)
        }
        var random = SystemRandomNumberGenerator()
        let tail = random.next() as UInt64
        var bytes = [UInt8](repeating: 0, count: 16)
        for index in 0..<6 { bytes[index] = UInt8(truncatingIfNeeded: millis >> (40 - 8 * index)) }
        bytes[6] = 0x70 | UInt8(truncatingIfNeeded: counter >> 8)
        bytes[7] = UInt8(truncatingIfNeeded: counter)
        bytes[8] = 0x80 | UInt8(truncatingIfNeeded: tail >> 56) & 0x3F
        for index in 9..<16 { bytes[index] = UInt8(truncatingIfNeeded: tail >> (8 * (15 - index))) }
        return UUID(
            uuid: (
                bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]
            ))
    }
}

extension UUID {
    /// The canonical lowercase text form used in storage, URLs and JSON.
    public var lowercased: String { uuidString.lowercased() }

    /// The Unix milliseconds of a version 7 id.
    public var v7Milliseconds: UInt64? {
        let bytes = uuid
        guard bytes.6 >> 4 == 7 else { return nil }
        return [bytes.0, bytes.1, bytes.2, bytes.3, bytes.4, bytes.5].reduce(0) { $0 << 8 | UInt64($1) }
    }
}
