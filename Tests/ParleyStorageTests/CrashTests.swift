import Foundation
import XCTest
@testable import ParleyStorage
import ParleyTestSupport

extension TortureWorkload {
    static func apply(_ model: inout Model, seed: UInt64, commit n: Int) {
        for (name, key, value) in plan(seed: seed, commit: n) {
            model[name, default: [:]][key] = value
        }
    }
}

final class CrashTests: XCTestCase {
    /// Kills land in commits, in background and writer checkpoints, and in log resets and
    /// truncations: a checkpoint threshold of a few pages makes those happen every few
    /// commits in most rounds. Every other round commits pipelined, as the group-commit
    /// writer does (`TortureChild.pipelined`).
    func testSigkillDuringCommitsAndCheckpointsAlwaysRecovers() throws {
        let seed = testSeed("testSigkillDuringCommitsAndCheckpointsAlwaysRecovers")
        var rng = SeededGenerator(seed: seed)
        let dir = TempDir()
        let path = dir.file()
        var model: Model = [:]
        var committed = 0
        let rounds = 60
        for round in 0..<rounds {
            let sync = round % 4 == 0
            let checkpointPages = [8, 32, 128, 4096][round % 4 == 0 ? Int(rng.next() % 4) : Int(rng.next() % 3)]
            let pipelined = round % 2 == 1
            let (process, pipe, errors) = try TortureChild.start(
                TortureChild(path: path, seed: seed, firstCommit: committed, sync: sync, checkpointPages: checkpointPages, pipelined: pipelined))
            // The kill timer starts when the child is about to open the database, not while
            // the test bundle is still loading.
            var output = Self.read(pipe, through: TortureChild.openingLine + "\n")
            usleep(useconds_t(20_000 + rng.next() % 200_000))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            output += String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            let acks = output.split(separator: "\n").compactMap { $0.hasPrefix("ack ") ? Int($0.dropFirst(4)) : nil }
            let lastAck = acks.last ?? committed
            let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            XCTAssertEqual(process.terminationReason, .uncaughtSignal, "child failed: \(stderr.suffix(300)) \(output.suffix(100))")

            // The acknowledged state, then each commit that may have been in flight: one
            // for plain commits, two when pipelined (one syncing, the next appended).
            var candidates = [model]
            if lastAck > committed {
                for n in committed + 1...lastAck { TortureWorkload.apply(&candidates[0], seed: seed, commit: n) }
            }
            for extra in 1...(pipelined ? 2 : 1) {
                var next = candidates[candidates.count - 1]
                TortureWorkload.apply(&next, seed: seed, commit: lastAck + extra)
                candidates.append(next)
            }

            var options = testOptions()
            options.durability = .sync
            let db = try Database(path: path, options: options)
            try assertClean(db, "seed \(seed) round \(round)")
            let contents = try db.read { try dump($0) }
            db.close()
            let live = { (m: Model) in m.filter { !$0.value.isEmpty } }
            let got = contents.filter { !$0.value.isEmpty }
            guard let match = candidates.firstIndex(where: { live($0) == got }) else {
                XCTFail("seed \(seed) round \(round): contents match no commit from \(lastAck) to \(lastAck + candidates.count - 1)")
                return
            }
            model = candidates[match]
            committed = lastAck + match
        }
        print("crash test: \(rounds) kills, \(committed) commits survived")
    }

    /// What the child wrote up to and including `marker`, or everything until it exited.
    private static func read(_ pipe: Pipe, through marker: String) -> String {
        var text = ""
        while !text.contains(marker) {
            let chunk = pipe.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        return text
    }
}
