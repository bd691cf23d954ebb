import Foundation
import NIOConcurrencyHelpers
import ParleyClient
import ParleyCore
import ParleyServer
import ParleyStorage
import ParleyStore
import ParleyWire
import XCTest
import ParleyTestSupport

/// StreamBackup while turns keep arriving, restored into a new data directory: the
/// checker finds it clean, every turn acknowledged before the backup began is in it, and
/// every report over it equals the same report over a fresh store given exactly the
/// snapshot's turns (so the snapshot's rollups and sessions agree with its turns).
final class BackupRestoreTests: XCTestCase {
    func testBackupDuringIngestionRestoresToAConsistentSnapshot() async throws {
        let harness = try await ServerHarness.startWithStore()
        let scratch = NSTemporaryDirectory() + "parley-restore-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let base: Int64 = 1_763_000_000_000
        let acked = NIOLockedValueBox<Set<String>>([])
        let stop = NIOLockedValueBox(false)

        // Two writers, bounded in count, until told to stop.
        let ingest = Task {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for w in 0..<2 {
                    group.addTask {
                        let client = harness.client()
                        for i in 0..<3_000 where !stop.withLockedValue({ $0 }) {
                            let turn = Turn(turnId: "w\(w)-\(i)", organizationId: "acme", sessionId: "s\(i % 17)",
                                            deviceId: "d\(i % 3)", contactId: "c\(i % 11)", personaId: "p\(w)",
                                            model: i % 2 == 0 ? "gpt-4o" : "gpt-4o-mini", userMessage: "q\(i)", aiResponse: "a\(i)",
                                            tokens: TokenCounts(input: Int64(10 + i % 90), output: Int64(5 + i % 40)),
                                            userMessageAt: base + Int64(i) * 60_000, repliedAt: base + Int64(i) * 60_000 + 900)
                            _ = try await client.logTurn(turn.wire)
                            acked.withLockedValue { _ = $0.insert(turn.turnId) }
                        }
                        await client.close()
                    }
                }
                try await group.waitForAll()
            }
        }
        while acked.withLockedValue({ $0.count }) < 200 { try await Task.sleep(nanoseconds: 5_000_000) }
        let ackedBefore = acked.withLockedValue { $0 }

        // The stream, as `parley admin backup --output` receives it.
        let client = harness.client(timeoutMs: 0)
        var bytes: [UInt8] = []
        var hasher = SHA256()
        var last: V1.BackupChunk?
        for try await chunk in client.streamBackup(V1.StreamBackupRequest()) {
            XCTAssertEqual(chunk.offset, Int64(bytes.count), "chunks arrive in order without gaps")
            bytes += chunk.data ?? []
            hasher.update(chunk.data ?? [])
            last = chunk
        }
        await client.close()
        // Let more writes land after the snapshot, so it is a point in time, not the end.
        let ackedAtEnd = acked.withLockedValue { $0.count }
        while acked.withLockedValue({ $0.count }) < ackedAtEnd + 50 { try await Task.sleep(nanoseconds: 5_000_000) }
        stop.withLockedValue { $0 = true }
        try await ingest.value
        let final = try XCTUnwrap(last)
        XCTAssertEqual(final.last, true)
        XCTAssertEqual(final.totalBytes, Int64(bytes.count))
        XCTAssertEqual(final.sha256, hasher.finalize())

        let file = scratch + "/backup.db"
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        let restoredDir = scratch + "/restored"
        let outcome = try Restore.run(from: file, dataDirectory: restoredDir)
        XCTAssertEqual(outcome.txnID, UInt64(final.txnID ?? -1))
        XCTAssertThrowsError(try Restore.run(from: file, dataDirectory: restoredDir), "a restore never overwrites a database")

        var options = StoreOptions()
        options.durability = .nosync
        options.mapReserve = 1 << 30
        let restored = try ParleyStore(path: outcome.path, options: options)
        defer { restored.close() }
        XCTAssertTrue(try restored.database.check().isClean)
        let window = TimeWindow(since: base - 86_400_000, until: base + 3_000 * 60_000 + 86_400_000)
        var snapshotTurns: [Turn] = []
        try restored.turns(organization: "acme", window: window) { snapshotTurns.append($0); return true }
        let snapshotIDs = Set(snapshotTurns.map(\.turnId))
        XCTAssertTrue(ackedBefore.isSubset(of: snapshotIDs), "a turn acknowledged before the backup is missing")
        XCTAssertLessThan(snapshotIDs.count, acked.withLockedValue { $0.count }, "the snapshot is a point in time, not the end state")

        // A fresh store given the snapshot's turns answers every report the same way.
        options.keepsArchive = false
        let reference = try ParleyStore(path: scratch + "/reference.db", options: options)
        defer { reference.close() }
        for start in stride(from: 0, to: snapshotTurns.count, by: 500) {
            let results = await reference.logTurns(Array(snapshotTurns[start..<min(start + 500, snapshotTurns.count)]), receivedAt: base)
            XCTAssertTrue(results.allSatisfy { if case .accepted = $0 { return true } else { return false } })
        }
        for zone in ["", "America/New_York"] {
            let q = ReportQuery(organization: "acme", window: window, timeZone: zone)
            XCTAssertEqual(try restored.reportDevices(q), try reference.reportDevices(q))
            XCTAssertEqual(try restored.reportModels(q), try reference.reportModels(q))
            XCTAssertEqual(try restored.reportDaily(q), try reference.reportDaily(q))
            XCTAssertEqual(try restored.reportPersonas(q), try reference.reportPersonas(q))
            XCTAssertEqual(try restored.reportContacts(q), try reference.reportContacts(q))
            XCTAssertEqual(try restored.reportHourly(q), try reference.reportHourly(q))
            XCTAssertEqual(Self.arrivalFree(try restored.reportSessions(q)), Self.arrivalFree(try reference.reportSessions(q)))
            XCTAssertEqual(try restored.reportConversion(q), try reference.reportConversion(q))
        }
        await harness.stop()
    }

    /// A session row's createdAt/updatedAt are when the server received its turns, which
    /// the reference store was not given; every figure computed from the turns stays.
    static func arrivalFree(_ report: SessionsReport) -> SessionsReport {
        var report = report
        report.rows = report.rows.map { row in
            var row = row
            row.createdAt = nil
            row.updatedAt = nil
            return row
        }
        return report
    }
}
