import Foundation
import ParleyCore
import ParleyStorage
import ParleyStore
import XCTest

/// Format versions at open and `parleyd upgrade` (StoreUpgrade): a newer file is
/// refused untouched, an older one refused with the command to run, and the upgrade
/// backs up first, migrates, and leaves a file whose reports are those of before.
final class FormatUpgradeTests: ReportTestCase {
    private func everyReport(_ org: String) throws -> [String] {
        let q = ReportQuery(organization: org, window: window, timeZone: "Asia/Kolkata")
        return [
            "\(try store.reportDevices(q))", "\(try store.reportModels(q))", "\(try store.reportDaily(q))",
            "\(try store.reportPersonas(ReportQuery(organization: org, window: ReportQuery.allTime)))",
            "\(try store.reportContacts(q))", "\(try store.reportHourly(q))", "\(try store.reportSessions(q))",
            "\(try store.reportConversion(q))",
        ]
    }

    private func stampVersion(_ version: UInt8, at path: String) throws {
        let database = try Database(path: path)
        defer { database.close() }
        try database.write { txn in try txn.createTree("meta").put(Array("schema_version".utf8), [version]) }
    }

    /// Gives a current file the version-1 shape: rollups under `rollups.by_hour` (the
    /// cells moved there as they are; the step drops that tree whatever it holds), half
    /// of `rollups.by_value` gone, the start index's values cut to the lead flag, so a
    /// step that kept any of them would fail the checks below, and version 1 stamped.
    private func turnIntoVersionOne(_ path: String) throws {
        let database = try Database(path: path)
        defer { database.close() }
        try database.write { txn in
            let cells = try XCTUnwrap(txn.tree("rollups.by_time")).scan()
            XCTAssertFalse(cells.isEmpty)
            let hours = try txn.createTree("rollups.by_hour")
            for (key, value) in cells { try hours.put(key, value) }
            try txn.dropTree("rollups.by_time")
            let byValue = try XCTUnwrap(txn.tree("rollups.by_value"))
            for (index, entry) in try byValue.scan().enumerated() where index % 2 == 0 { _ = try byValue.delete(entry.key) }
            // The sessions' start index as format 4 kept it: the lead flag alone.
            let byStart = try XCTUnwrap(txn.tree("sessions.by_start"))
            for (key, value) in try byStart.scan() { try byStart.put(key, [value[0]]) }
            // Format 6's start cells, format 7's contact ranks and format 8's conversion
            // cells did not exist yet.
            try txn.dropTree("sessions.start_cells")
            try txn.dropTree("rollups.month.contact_ranks")
            try txn.dropTree("sessions.conversion_cells")
            try txn.createTree("meta").put(Array("schema_version".utf8), [1])
        }
    }

    private func message(of body: () throws -> Void) -> String {
        do {
            try body()
        } catch {
            return "\(error)"
        }
        return "no error"
    }

    func testAnOlderFileIsRefusedAndUpgradedOnlyByTheCommandWhichBacksUpFirst() async throws {
        try await fill(days: 6, perOrganization: 300)
        _ = try await store.retainDetail(olderThan: fixture.start + 2 * 86_400_000 + 1_234_567, organization: nil) { _, _ in }
        let archivePath = try XCTUnwrap(store.archivePath)
        let before = try AnalyticsFixture.organizations.map(everyReport)
        store.close()
        try turnIntoVersionOne(path)
        try stampVersion(1, at: archivePath)
        let oldBytes = try Data(contentsOf: URL(fileURLWithPath: path))

        let refusal = message { _ = try openStore() }
        XCTAssertTrue(refusal.contains("store format version 1, older than this build's \(StoreFormat.current)"), refusal)
        XCTAssertTrue(refusal.contains("parleyd upgrade --data-dir \(directory)"), refusal)
        XCTAssertEqual(try StoreFormat.version(at: path), 1, "a refused open changes nothing")

        let outcomes = try StoreUpgrade.run(databasePath: path)
        XCTAssertEqual(outcomes.map(\.path), [path, archivePath])
        XCTAssertEqual(outcomes.map(\.from), [1, 1])
        XCTAssertEqual(outcomes.map(\.to), [StoreFormat.current, StoreFormat.current])
        XCTAssertEqual(outcomes[0].backups, [path + ".v1.bak", path + "-log.v1.bak"])
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path + ".v1.bak")), oldBytes, "the backup is the file as it was")
        XCTAssertTrue(FileManager.default.fileExists(atPath: archivePath + ".v1.bak"))
        XCTAssertTrue(outcomes.allSatisfy { $0.check?.isClean == true })

        store = try openStore()
        XCTAssertEqual(try AnalyticsFixture.organizations.map(everyReport), before)
        XCTAssertEqual(try AnalyticsFixture.organizations.flatMap { try store.rollupMismatches(organization: $0) }, [])
        XCTAssertEqual(try AnalyticsFixture.organizations.flatMap { try store.sessionSpendMismatches(organization: $0) }, [])
        XCTAssertEqual(try store.aggregateMismatches(), [], "every aggregate, the sessions' start index too")
        try assertClean(store)
        store.close()

        let again = try StoreUpgrade.run(databasePath: path)
        XCTAssertEqual(again.flatMap(\.steps), [], "a current file is left alone")
        XCTAssertEqual(again.flatMap(\.backups), [])
        store = try openStore()
    }

    func testANewerStoreFormatIsRefusedUntouched() async throws {
        store = try openStore()
        _ = await log(store, turn("t1"))
        store.close()
        store = nil
        let newer = StoreFormat.current + 1
        try stampVersion(newer, at: path)
        let refusal = message { _ = try openStore() }
        XCTAssertTrue(refusal.contains("store format version \(newer), newer than this build's \(StoreFormat.current): it was written by a newer Parley release"), refusal)
        let upgradeRefusal = message { _ = try StoreUpgrade.run(databasePath: path) }
        XCTAssertTrue(upgradeRefusal.contains("newer than this build's"), upgradeRefusal)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path + ".v\(newer).bak"), "nothing is backed up or changed")
        XCTAssertEqual(try StoreFormat.version(at: path), newer)
    }

    /// The data file's own page format (its meta pages' version field) is checked by the
    /// storage layer before anything else.
    func testANewerFileFormatIsRefusedWithTheDocumentedMessage() async throws {
        store = try openStore()
        _ = await log(store, turn("t1"))
        store.close()
        store = nil
        let file = try FileHandle(forUpdating: URL(fileURLWithPath: path))
        for slot in 0..<2 {
            try file.seek(toOffset: UInt64(slot * 4096 + 32))
            file.write(Data([2, 0, 0, 0]))
        }
        try file.close()
        let refusal = message { _ = try openStore() }
        XCTAssertTrue(refusal.contains("unsupportedVersion"), refusal)
        XCTAssertTrue(refusal.contains("file format version 2, newer than this build reads (1): it was written by a newer Parley release"), refusal)
    }
}
