import Foundation
import XCTest
import ParleyStorage

/// The crash test's child process: this test bundle run again with one test selected and
/// `TortureChild.environmentKey` set. It commits `TortureWorkload` from `firstCommit + 1`
/// on, printing "ack N" once commit N has returned, until the parent SIGKILLs it.
/// Keeping the child in the test target leaves no test-only executable in the package.
struct TortureChild: Codable {
    static let environmentKey = "PARLEY_TORTURE_CHILD"
    /// What XCTest is given to run only the child's test.
    static let testName = "ParleyStorageTests.TortureChildTests/testCommitUntilKilled"
    /// Printed before the database is opened: the parent's kill timer starts there, so kills
    /// land in opening (recovery) as well as in commits, not in the bundle's start-up.
    static let openingLine = "opening"

    var path: String
    var seed: UInt64
    var firstCommit: Int
    /// Durability.sync when true, else .nosync (Durability is not Codable).
    var sync: Bool
    /// Small values make checkpoints and log resets frequent, so kills land in them too.
    var checkpointPages: Int
    /// Commits pipelined as the group-commit writer makes them: appended with
    /// `writeUnsynced` on this thread, made durable and acked in order on another, so
    /// the next commit is applied while one syncs and kills land between the two halves
    /// (and in the wait a log restart makes). Up to two commits past the last ack may then
    /// survive a kill.
    var pipelined: Bool

    /// A started child; its standard output carries the acks.
    static func start(_ child: TortureChild) throws -> (Process, stdout: Pipe, stderr: Pipe) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        process.arguments = [testName]
        var environment = ProcessInfo.processInfo.environment
        environment[environmentKey] = String(decoding: try JSONEncoder().encode(child), as: UTF8.self)
        process.environment = environment
        let stdout = Pipe(), stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        return (process, stdout, stderr)
    }

    /// The child's side; returns only by throwing.
    func run() throws -> Never {
        var options = DatabaseOptions()
        options.durability = sync ? .sync : .nosync
        options.mapReserve = 1 << 30
        options.checkpointPages = max(1, checkpointPages)
        FileHandle.standardOutput.write(Data((Self.openingLine + "\n").utf8))
        let db = try Database(path: path, options: options)
        var n = firstCommit
        if pipelined { try runPipelined(db, after: n) }
        while true {
            n += 1
            try db.write { w in try apply(commit: n, to: w) }
            // One unbuffered write: the ack is out before the next commit starts.
            FileHandle.standardOutput.write(Data("ack \(n)\n".utf8))
        }
    }

    private func apply(commit n: Int, to w: WriteTransaction) throws {
        for (name, key, value) in TortureWorkload.plan(seed: seed, commit: n) {
            let tree = try w.createTree(name)
            if let value { try tree.put(key, value) } else { try tree.delete(key) }
        }
    }

    private func runPipelined(_ db: Database, after first: Int) throws -> Never {
        let appended = HandOff<(Int, PendingCommit?)>()
        let syncer = Thread {
            while let (n, pending) = appended.take() {
                do {
                    if let pending { try db.makeDurable(pending) }
                } catch {
                    FileHandle.standardError.write(Data("sync of commit \(n) failed: \(error)\n".utf8))
                    exit(1)
                }
                FileHandle.standardOutput.write(Data("ack \(n)\n".utf8))
            }
        }
        syncer.start()
        var n = first
        while true {
            n += 1
            let commit = n
            let (_, pending) = try db.writeUnsynced { w in try apply(commit: commit, to: w) }
            appended.put((commit, pending))
        }
    }
}

final class TortureChildTests: XCTestCase {
    /// Runs only as CrashTests' child; skipped in an ordinary test run.
    func testCommitUntilKilled() throws {
        guard let description = ProcessInfo.processInfo.environment[TortureChild.environmentKey] else {
            throw XCTSkip("the crash test's child: runs only when CrashTests starts it")
        }
        let child = try JSONDecoder().decode(TortureChild.self, from: Data(description.utf8))
        try child.run()
    }
}
