import Foundation

/// The crash test's workload: a deterministic sequence of commits. The child
/// (TortureChildTests, this test bundle run again) performs it and the crash test rebuilds
/// it to know what the database must hold after a SIGKILL, so both use this one definition.
enum TortureWorkload {
    /// Operations of commit `n`: (tree, key, value or nil for delete).
    static func plan(seed: UInt64, commit n: Int) -> [(String, [UInt8], [UInt8]?)] {
        var rng = SplitMix(state: seed &* 31 &+ UInt64(n))
        let size = rng.next() % 10 == 0 ? 400 + Int(rng.next() % 800) : 1 + Int(rng.next() % 30)
        var ops: [(String, [UInt8], [UInt8]?)] = []
        for _ in 0..<size {
            let tree = ["a", "b", "c"][Int(rng.next() % 3)]
            let key = Array(String(format: "%05d", Int(rng.next() % 5000)).utf8)
            if rng.next() % 4 == 0 {
                ops.append((tree, key, nil))
            } else {
                let length = rng.next() % 50 == 0 ? 9000 : Int(rng.next() % 200)
                let fill = UInt8(truncatingIfNeeded: n)
                ops.append((tree, key, [UInt8](repeating: fill, count: length)))
            }
        }
        return ops
    }

    private struct SplitMix {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }
}
