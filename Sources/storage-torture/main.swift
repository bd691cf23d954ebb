// Crash-test child: commits a deterministic sequence of transactions and prints
// "ack N" after commit N returns, until killed. The parent test rebuilds the same
// sequence (TortureWorkload in the tests; keep the two in step) to know what the
// database must hold after a SIGKILL.
//
// usage: storage-torture PATH SEED FIRST_COMMIT sync|nosync
import Foundation
import ParleyStorage

struct SplitMix {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Operations of commit `n`: (tree, key, value or nil for delete).
func plan(seed: UInt64, commit n: Int) -> [(String, [UInt8], [UInt8]?)] {
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

let args = CommandLine.arguments
guard args.count == 5, let seed = UInt64(args[2]), let first = Int(args[3]) else {
    FileHandle.standardError.write("usage: storage-torture PATH SEED FIRST_COMMIT sync|nosync\n".data(using: .utf8)!)
    exit(2)
}
var options = DatabaseOptions()
options.durability = args[4] == "sync" ? .sync : .nosync
options.mapReserve = 1 << 30
do {
    let db = try Database(path: args[1], options: options)
    var n = first
    while true {
        n += 1
        try db.write { w in
            for (name, key, value) in plan(seed: seed, commit: n) {
                let tree = try w.createTree(name)
                if let value { try tree.put(key, value) } else { try tree.delete(key) }
            }
        }
        print("ack \(n)")
        fflush(stdout)
    }
} catch {
    FileHandle.standardError.write("storage-torture: \(error)\n".data(using: .utf8)!)
    exit(1)
}
