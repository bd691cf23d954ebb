import Foundation

/// xoshiro256** seeded through SplitMix64: a small, well-tested generator whose output
/// depends on the seed alone, so a traffic stream is the same on every machine and
/// every Swift release (the standard library's random helpers make no such promise,
/// which is why the draws below are written out here).
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var s: (UInt64, UInt64, UInt64, UInt64)

    public init(seed: UInt64) {
        var x = seed
        func splitMix() -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s = (splitMix(), splitMix(), splitMix(), splitMix())
    }

    public mutating func next() -> UInt64 {
        let result = rotl(s.1 &* 5, 7) &* 9
        let t = s.1 << 17
        s.2 ^= s.0
        s.3 ^= s.1
        s.1 ^= s.2
        s.0 ^= s.3
        s.2 ^= t
        s.3 = rotl(s.3, 45)
        return result
    }

    private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// Uniform in [0, 1), 53 bits.
    public mutating func unit() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// Uniform in 0..<bound (bound > 0), without modulo bias worth measuring at these sizes.
    public mutating func below(_ bound: Int) -> Int { Int(unit() * Double(bound)) }

    /// Uniform in `range`.
    public mutating func int(in range: ClosedRange<Int>) -> Int { range.lowerBound + below(range.count) }

    /// True with probability `p`.
    public mutating func chance(_ p: Double) -> Bool { unit() < p }

    /// Log-normal with the given median, spread as the standard deviation of the log:
    /// think times and reply lengths are skewed, with a long tail.
    public mutating func logNormal(median: Double, sigma: Double) -> Double {
        // Box-Muller; 1 - unit() is in (0, 1], so the log is finite.
        let u1 = 1 - unit(), u2 = unit()
        let normal = (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
        return median * exp(sigma * normal)
    }
}
