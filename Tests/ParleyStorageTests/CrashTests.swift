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
    /// commits in most rounds.
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
            let (process, pipe, errors) = try TortureChild.start(
                TortureChild(path: path, seed: seed, firstCommit: committed, sync: sync, checkpointPages: checkpointPages))
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

            var acked = model
            if lastAck > committed {
                for n in committed + 1...lastAck { TortureWorkload.apply(&acked, seed: seed, commit: n) }
            }
            var inFlight = acked
            TortureWorkload.apply(&inFlight, seed: seed, commit: lastAck + 1)

            var options = testOptions()
            options.durability = .sync
            let db = try Database(path: path, options: options)
            try assertClean(db, "seed \(seed) round \(round)")
            let contents = try db.read { try dump($0) }
            db.close()
            let live = { (m: Model) in m.filter { !$0.value.isEmpty } }
            let got = contents.filter { !$0.value.isEmpty }
            if got == live(acked) {
                model = acked
                committed = lastAck
            } else if got == live(inFlight) {
                model = inFlight
                committed = lastAck + 1
            } else {
                XCTFail("seed \(seed) round \(round): contents match neither commit \(lastAck) nor \(lastAck + 1)")
                return
            }
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
