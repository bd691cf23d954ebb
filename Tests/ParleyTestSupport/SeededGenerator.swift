import Foundation

/// SplitMix64: the one seeded generator of the tests, so a randomized test replays from
/// its printed seed.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    /// A generator seeded from PARLEY_TEST_SEED when set, else from the clock; the seed is
    /// printed so a failure can be replayed.
    public static func announced(_ test: String) -> SeededGenerator {
        let seed = ProcessInfo.processInfo.environment["PARLEY_TEST_SEED"].flatMap(UInt64.init)
            ?? UInt64(truncatingIfNeeded: Int64(Date().timeIntervalSince1970 * 1000))
        print("\(test): seed \(seed) (replay with PARLEY_TEST_SEED=\(seed))")
        return SeededGenerator(seed: seed)
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
