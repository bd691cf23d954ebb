import ArgumentParser
import Foundation
import ParleyStorage

/// ParleyStorage against SQLite (WITHOUT ROWID table, WAL) on the same keys and values.
/// Bulk phases run without fsync on both sides (Parley `nosync`, SQLite synchronous=OFF);
/// the durable phase syncs every commit on both (Parley `sync`, SQLite synchronous=FULL).
struct StorageSuite: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "storage", abstract: "storage engine vs SQLite")

    @Option(help: "Records to load") var records = 1_000_000
    @Option(help: "Records per transaction in the bulk phases") var batch = 1000
    @Option(help: "Single-insert durable commits") var durableCommits = 2000
    @Option(help: "Scratch directory (removed afterwards)") var dir: String?
    @Option(help: "Where to write the JSON report") var json = ".bench/storage.json"

    struct Rng {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// 16-byte keys: a fixed 8-byte prefix then the big-endian record number.
    static func key(_ i: Int) -> [UInt8] {
        var k = [UInt8](repeating: 0x70, count: 8)
        withUnsafeBytes(of: UInt64(i).bigEndian) { k.append(contentsOf: $0) }
        return k
    }

    static func value(_ i: Int) -> [UInt8] {
        var rng = Rng(state: UInt64(i))
        var v: [UInt8] = []
        v.reserveCapacity(100)
        while v.count < 100 { withUnsafeBytes(of: rng.next()) { v.append(contentsOf: $0.prefix(100 - v.count)) } }
        return v
    }

    func shuffled(_ n: Int, seed: UInt64) -> [Int] {
        var order = Array(0..<n)
        var rng = Rng(state: seed)
        for i in stride(from: n - 1, to: 0, by: -1) { order.swapAt(i, Int(rng.next() % UInt64(i + 1))) }
        return order
    }

    func fileSize(_ path: String) -> Double {
        var st = stat()
        return stat(path, &st) == 0 ? Double(st.st_size) : 0
    }

    func log(_ s: String) {
        FileHandle.standardError.write((s + "\n").data(using: .utf8)!)
    }

    func run() throws {
        let scratch = dir ?? NSTemporaryDirectory() + "parley-bench-\(getpid())"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let n = records
        log("generating \(n) keys and values")
        let keys = (0..<n).map(StorageSuite.key)
        let values = (0..<n).map(StorageSuite.value)
        let randomOrder = shuffled(n, seed: 1)
        let lookupOrder = shuffled(n, seed: 2)
        var results: [BenchResult] = []
        var bulk = DatabaseOptions()
        bulk.durability = .nosync

        func parleyLoad(_ path: String, _ order: [Int]) throws -> Double {
            let db = try Database(path: path, options: bulk)
            defer { db.close() }
            return try measure {
                var i = 0
                while i < order.count {
                    let end = min(i + batch, order.count)
                    try db.write { w in
                        let t = try w.createTree("t")
                        for j in i..<end { try t.put(keys[order[j]], values[order[j]]) }
                    }
                    i = end
                }
            }
        }

        func sqliteLoad(_ path: String, _ order: [Int]) throws -> Double {
            let db = try SQLitePeer(path: path, synchronous: "OFF")
            defer { db.close() }
            return try measure {
                var i = 0
                while i < order.count {
                    let end = min(i + batch, order.count)
                    try db.exec("BEGIN")
                    for j in i..<end { try db.put(keys[order[j]], values[order[j]]) }
                    try db.exec("COMMIT")
                    i = end
                }
                try db.checkpoint()
            }
        }

        log("sequential insert")
        let seq = Array(0..<n)
        let pSeq = try parleyLoad(scratch + "/seq.parley", seq)
        let sSeq = try sqliteLoad(scratch + "/seq.sqlite", seq)
        results.append(.rate("sequential insert (batches of \(batch), no fsync)", unit: "records/s",
                             parley: Double(n) / pSeq, peer: "sqlite", peerValue: Double(n) / sSeq))
        try? FileManager.default.removeItem(atPath: scratch + "/seq.parley")
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: scratch + "/seq.sqlite" + suffix) }

        log("random insert")
        let pPath = scratch + "/random.parley", sPath = scratch + "/random.sqlite"
        let pRand = try parleyLoad(pPath, randomOrder)
        let sRand = try sqliteLoad(sPath, randomOrder)
        results.append(.rate("random insert (batches of \(batch), no fsync)", unit: "records/s",
                             parley: Double(n) / pRand, peer: "sqlite", peerValue: Double(n) / sRand))
        results.append(.cost("file size after random insert", unit: "MiB",
                             parley: fileSize(pPath) / 1048576, peer: "sqlite",
                             peerValue: (fileSize(sPath) + fileSize(sPath + "-wal")) / 1048576))

        log("random get")
        let pdb = try Database(path: pPath, options: bulk)
        var found = 0
        let pGet = try measure {
            try pdb.read { txn in
                guard let t = try txn.tree("t") else { return }
                for i in lookupOrder where try t.get(keys[i]) != nil { found += 1 }
            }
        }
        let sdb = try SQLitePeer(path: sPath, synchronous: "FULL")
        var sFound = 0
        let sGet = try measure {
            try sdb.exec("BEGIN")
            for i in lookupOrder where sdb.get(keys[i]) != nil { sFound += 1 }
            try sdb.exec("COMMIT")
        }
        guard found == n, sFound == n else { throw ValidationError("lookups found \(found) and \(sFound) of \(n)") }
        results.append(.rate("random point get", unit: "gets/s", parley: Double(n) / pGet, peer: "sqlite", peerValue: Double(n) / sGet))

        log("full scan")
        var pBytes = 0, sBytes = 0
        let pScan = try measure {
            try pdb.read { txn in
                try txn.tree("t")?.forEach { k, v in
                    pBytes += k.count + v.count
                    return true
                }
            }
        }
        let sScan = try measure { try sdb.scan { k, v in sBytes += k.count + v.count } }
        guard pBytes == sBytes, pBytes == n * 116 else { throw ValidationError("scans saw \(pBytes) and \(sBytes) bytes") }
        results.append(.rate("full range scan", unit: "records/s", parley: Double(n) / pScan, peer: "sqlite", peerValue: Double(n) / sScan))
        pdb.close()
        sdb.close()

        log("durable single-insert commits")
        var durable = DatabaseOptions()
        durable.durability = .sync
        let ddb = try Database(path: pPath, options: durable)
        let extra = shuffled(durableCommits, seed: 3).map { n + $0 }
        let pDur = try measure {
            for i in extra {
                try ddb.write { w in try w.createTree("t").put(StorageSuite.key(i), StorageSuite.value(i)) }
            }
        }
        ddb.close()
        let fdb = try SQLitePeer(path: sPath, synchronous: "FULL")
        let sDur = try measure {
            for i in extra { try fdb.put(StorageSuite.key(i), StorageSuite.value(i)) }
        }
        fdb.close()
        results.append(.rate("durable single-insert commits (fsync each)", unit: "commits/s",
                             parley: Double(durableCommits) / pDur, peer: "sqlite", peerValue: Double(durableCommits) / sDur))

        let report = BenchReport(suite: "storage", results: results)
        report.printTable()
        try report.write(to: json)
        print("wrote \(json)")
    }
}
