import XCTest
@testable import ParleyStorage
import ParleyTestSupport

final class PropertyTests: XCTestCase {
    func key(_ rng: inout SeededGenerator, space: Int) -> [UInt8] {
        let n = Int(rng.next() % UInt64(space))
        // Mixed lengths, shared prefixes: exercises ordering and variable-size cells.
        var k = Array(String(format: "k%06d", n).utf8)
        if n % 7 == 0 { k += [UInt8](repeating: UInt8(n % 251), count: n % 300) }
        return k
    }

    func value(_ rng: inout SeededGenerator) -> [UInt8] {
        let r = rng.next() % 100
        let length: Int
        if r < 3 { length = 5000 + Int(rng.next() % 70_000) }   // overflow pages
        else if r < 10 { length = 500 + Int(rng.next() % 1000) }  // near the inline limit
        else { length = Int(rng.next() % 120) }
        let b = UInt8(truncatingIfNeeded: rng.next())
        return (0..<length).map { UInt8(truncatingIfNeeded: $0) &+ b }
    }

    func testRandomOperationsAgainstModel() throws {
        let seed = testSeed("testRandomOperationsAgainstModel")
        var rng = SeededGenerator(seed: seed)
        let dir = TempDir()
        let db = try Database(path: dir.file(), options: testOptions())
        defer { db.close() }
        let names = ["alpha", "beta", "gamma", "delta", "epsilon"]
        var model: Model = [:]
        var held: [(ReadTransaction, Model)] = []
        var ops = 0
        var commits = 0
        while ops < 4000 {
            var pending = model
            let batch = 1 + Int(rng.next() % 40)
            let rollback = rng.next() % 20 == 0
            do {
                try db.write { w in
                    for _ in 0..<batch {
                        ops += 1
                        let name = names[Int(rng.next() % UInt64(names.count))]
                        let r = rng.next() % 100
                        if r < 2 {
                            try w.dropTree(name)
                            pending[name] = nil
                            continue
                        }
                        let tree = try w.createTree(name)
                        if pending[name] == nil { pending[name] = [:] }
                        if r < 55 {
                            let k = key(&rng, space: 2000), v = value(&rng)
                            try tree.put(k, v)
                            pending[name]![k] = v
                        } else if r < 80 {
                            let k = key(&rng, space: 2000)
                            let existed = pending[name]![k] != nil
                            XCTAssertEqual(try tree.delete(k), existed)
                            pending[name]![k] = nil
                        } else if r < 90 {
                            let k = key(&rng, space: 2000)
                            XCTAssertEqual(try tree.get(k), pending[name]![k])
                        } else {
                            let a = key(&rng, space: 2000), b = key(&rng, space: 2000)
                            let (lo, hi) = a.lexicographicallyPrecedes(b) ? (a, b) : (b, a)
                            let reverse = rng.next() % 2 == 0
                            let got = try tree.scan(from: lo, to: hi, reverse: reverse).map { $0.key }
                            var want = pending[name]!.keys.filter { !$0.lexicographicallyPrecedes(lo) && $0.lexicographicallyPrecedes(hi) }
                                .sorted { $0.lexicographicallyPrecedes($1) }
                            if reverse { want.reverse() }
                            XCTAssertEqual(got, want, "scan seed \(seed)")
                        }
                    }
                    if rollback { throw StorageError(.invalidArgument, "test rollback") }
                }
                model = pending
                commits += 1
            } catch let e as StorageError where e.message == "test rollback" {}
            try assertClean(db, "seed \(seed) after commit \(commits)")
            assertSame(try db.read { try dump($0) }, model, "seed \(seed)")
            if rng.next() % 10 == 0 { held.append((try db.beginRead(), model)) }
            if held.count > 3 || (rng.next() % 8 == 0 && !held.isEmpty) {
                let (txn, snap) = held.removeFirst()
                assertSame(try dump(txn), snap, "held snapshot, seed \(seed)")
                txn.close()
            }
        }
        for (txn, _) in held { txn.close() }
        try assertClean(db)
        print("property test: \(ops) operations, \(commits) commits")
    }
}
