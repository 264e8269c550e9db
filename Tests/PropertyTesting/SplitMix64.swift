// Seeded randomness for property tests: the same cases on every run and every machine.

/// SplitMix64 (Steele, Lea and Flood): a seeded generator, so a failing case is the same on every
/// run and every machine. Shared by the property tests of every target.
public struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    public mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
    public mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
    public mutating func array<T>(upTo count: Int, _ make: (inout SplitMix64) -> T) -> [T] {
        (0..<below(count + 1)).map { _ in make(&self) }
    }
}

extension FixedWidthInteger {
    /// Min, max, zero and small numbers of both signs often; otherwise random bits of random width.
    public static func edgy(_ rng: inout SplitMix64) -> Self {
        switch rng.below(8) {
        case 0: .min
        case 1: .max
        case 2: .zero
        case 3: Self(truncatingIfNeeded: Int8(truncatingIfNeeded: rng.next()))
        default: Self(truncatingIfNeeded: rng.next() >> rng.below(64))
        }
    }
}
