import Foundation

/// SplitMix64: a small deterministic generator so property tests replay from a printed seed.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    /// A generator seeded from PARLEY_TEST_SEED when set, else from the clock; the seed is
    /// printed so a failure can be replayed.
    static func announced(_ test: String) -> SeededGenerator {
        let seed = ProcessInfo.processInfo.environment["PARLEY_TEST_SEED"].flatMap(UInt64.init) ?? UInt64(truncatingIfNeeded: Int64(Date().timeIntervalSince1970 * 1000))
        print("\(test): seed \(seed) (replay with PARLEY_TEST_SEED=\(seed))")
        return SeededGenerator(seed: seed)
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension SeededGenerator {
    mutating func identifier(maxLength: Int = 12) -> String {
        let alphabet = Array("abcXYZ019._:@+-")
        let length = Int.random(in: 1...maxLength, using: &self)
        return String((0..<length).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &self)] })
    }
}
