import Foundation
import XCTest
@testable import ParleyStorage
import ParleyTestSupport

/// Recovery from the commit log alone: the files as a crash leaves them (copied while the
/// database is open, so no checkpoint ran), with the last record cut short or damaged.
final class LogRecoveryTests: XCTestCase {
    enum Damage: CaseIterable { case none, cut, flippedByte, zeroedBlock }

    func testTornAndCorruptedLogTailsRecoverToTheLastWholeCommit() throws {
        let seed = testSeed("testTornAndCorruptedLogTailsRecoverToTheLastWholeCommit")
        var rng = SeededGenerator(seed: seed)
        for trial in 0..<24 {
            let damage = Damage.allCases[trial % Damage.allCases.count]
            let dir = TempDir()
            var options = testOptions()
            options.checkpointPages = [16, 64, 4096][Int(rng.next() % 3)]
            let db = try Database(path: dir.file(), options: options)
            var model: Model = [:]
            // The model after each commit, by transaction id: a commit that changes
            // nothing (deletes of absent keys) takes no id and writes no record.
            var byTxn: [UInt64: Model] = [try db.read { $0.txnID }: model]
            let commits = 2 + Int(rng.next() % 40)
            for n in 1...commits {
                try db.write { w in
                    for (name, key, value) in TortureWorkload.plan(seed: seed, commit: n) {
                        let tree = try w.createTree(name)
                        if let value { try tree.put(key, value) } else { try tree.delete(key) }
                    }
                }
                TortureWorkload.apply(&model, seed: seed, commit: n)
                byTxn[try db.read { $0.txnID }] = model
            }
            let context = "seed \(seed) trial \(trial) (\(damage), \(commits) commits)"
            // The last commit may have started a new cycle of the log; then it is the
            // only record and the previous state is the checkpoint.
            guard let last = db.log.records.last, last.snapshot.txnID == db.log.base + UInt64(db.log.records.count) else {
                XCTFail("\(context): log holds no record of the last commit")
                return
            }
            // A background checkpoint of the last commit makes it stand without its record.
            while db.checkpointer.status.busy { usleep(1000) }
            let checkpointed = db.checkpointer.status.completed == last.snapshot.txnID
            let copy = dir.file("crash")
            try FileManager.default.copyItem(atPath: dir.file(), toPath: copy)
            try FileManager.default.copyItem(atPath: dir.file() + "-log", toPath: copy + "-log")
            db.close()

            let log = try FileHandle(forUpdating: URL(fileURLWithPath: copy + "-log"))
            switch damage {
            case .none:
                break
            case .cut:
                try log.truncate(atOffset: UInt64(last.offset + Int(rng.next() % UInt64(last.length))))
            case .flippedByte:
                let at = UInt64(last.offset + Int(rng.next() % UInt64(last.length)))
                try log.seek(toOffset: at)
                let byte = try log.read(upToCount: 1) ?? Data([0])
                try log.seek(toOffset: at)
                log.write(Data([byte[0] ^ UInt8(1 << (rng.next() % 8))]))
            case .zeroedBlock:
                let blocks = last.length / 4096
                try log.seek(toOffset: UInt64(last.offset + 4096 * Int(rng.next() % UInt64(blocks))))
                log.write(Data(count: 4096))
            }
            try log.close()

            let recovered = try Database(path: copy, options: options)
            try assertClean(recovered, context)
            let expected = damage == .none || checkpointed ? model : byTxn[last.snapshot.txnID - 1] ?? [:]
            assertSame(try recovered.read { try dump($0) }, expected, context)
            // Recovery checkpointed and started a new log: writes go on from there.
            try recovered.write { w in try w.createTree("a").put(bytes("after"), bytes("recovery")) }
            try assertClean(recovered, context)
            recovered.close()
        }
    }

    /// Records of an earlier cycle stay in the file after a reset; the new salt and the
    /// checksum chain keep them from being replayed.
    func testStaleRecordsAfterAResetAreIgnored() throws {
        let dir = TempDir()
        var options = testOptions()
        options.checkpointPages = 1 << 20
        let db = try Database(path: dir.file(), options: options)
        for i in 0..<50 {
            try db.write { w in try w.createTree("t").put(bytes("k\(i)"), [UInt8](repeating: UInt8(i), count: 500)) }
        }
        let logPath = dir.file() + "-log"
        let grown = try FileManager.default.attributesOfItem(atPath: logPath)[.size] as? Int ?? 0
        // A checkpoint of everything logged; the reset at the next commit keeps the
        // file's length, so the old records stay behind the new one.
        let statusBefore = db.checkpointer.status.completed
        try db.checkpointer.checkpoint(try db.read { $0.reader.snapshot })
        XCTAssertEqual(db.checkpointer.status.completed, statusBefore + 50)
        try db.write { w in try w.createTree("t").put(bytes("fresh"), bytes("cycle")) }
        XCTAssertEqual(db.log.records.count, 1, "the commit after a full checkpoint starts a new cycle")
        let size = try FileManager.default.attributesOfItem(atPath: logPath)[.size] as? Int ?? 0
        XCTAssertGreaterThanOrEqual(size, grown, "stale records are still in the file")
        let expected = try db.read { try dump($0) }
        let copy = dir.file("crash")
        try FileManager.default.copyItem(atPath: dir.file(), toPath: copy)
        try FileManager.default.copyItem(atPath: logPath, toPath: copy + "-log")
        db.close()
        let recovered = try Database(path: copy, options: options)
        try assertClean(recovered)
        assertSame(try recovered.read { try dump($0) }, expected)
        recovered.close()
    }
    /// Pipelined commits under steady load, as the group-commit writer makes them: one
    /// thread applies and appends, another syncs, and a commit is always outstanding when
    /// the next one starts. The log must still restart every cycle (bounded, not growing
    /// with every commit) and checkpoints run about once per cycle, not after every commit.
    func testUnderSteadyPipelinedLoadTheLogRestartsAndCheckpointsStayRare() throws {
        let dir = TempDir()
        var options = testOptions()
        options.durability = .sync
        options.checkpointPages = 24
        let db = try Database(path: dir.file(), options: options)
        let commits = 240
        let queue = HandOff<PendingCommit>()
        let syncer = Thread {
            while let pending = queue.take() { try? db.makeDurable(pending) }
        }
        syncer.start()
        var largestLog = 0
        var restarts = 0
        for i in 0..<commits {
            let (_, pending) = try db.writeUnsynced { w in
                let tree = try w.createTree("t")
                for k in 0..<20 { try tree.put(bytes("k\(i)-\(k)"), [UInt8](repeating: UInt8(truncatingIfNeeded: i), count: 200)) }
            }
            if db.log.records.count == 1 { restarts += 1 }
            largestLog = max(largestLog, db.activity.logPages)
            queue.put(try XCTUnwrap(pending))
        }
        queue.finish()
        while !queue.isDrained { usleep(1_000) }
        let activity = db.activity
        print("\(commits) commits: \(restarts) log restarts, \(activity.checkpoints) checkpoints, largest log \(largestLog) pages")
        XCTAssertGreaterThan(restarts, commits / 20, "the log restarted \(restarts) times in \(commits) commits")
        XCTAssertLessThanOrEqual(largestLog, 4 * options.checkpointPages + 16, "the log grew to \(largestLog) pages")
        // A cycle costs one background checkpoint and, when commits never pause, the short
        // one the restart itself needs.
        XCTAssertLessThanOrEqual(activity.checkpoints, 2 * (restarts + 1), "\(activity.checkpoints) checkpoints, \(restarts) log restarts")
        let expected = try db.read { try dump($0) }
        XCTAssertEqual(expected["t"]?.count, commits * 20)
        db.close()
        let reopened = try Database(path: dir.file(), options: options)
        try assertClean(reopened)
        assertSame(try reopened.read { try dump($0) }, expected)
        reopened.close()
    }
}
