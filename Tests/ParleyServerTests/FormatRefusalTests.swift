import Foundation
import Logging
import ParleyServer
import ParleyStorage
import ParleyStore
import XCTest

/// parleyd refuses a data directory whose store format is older than this build's and
/// names the command that upgrades it; after `parleyd upgrade` (StoreUpgrade) it serves.
final class FormatRefusalTests: XCTestCase {
    func testServeRefusesAnOlderStoreNamingTheUpgradeThenServesAfterIt() async throws {
        let dir = NSTemporaryDirectory() + "parley-format-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let path = dir + "/" + Daemon.databaseFileName
        try ParleyStore(path: path).close()
        let database = try Database(path: path)
        try database.write { txn in try txn.createTree("meta").put(Array("schema_version".utf8), [StoreFormat.current - 1]) }
        database.close()

        var config = ServerConfiguration(dataDirectory: dir)
        config.port = 0
        var logger = Logger(label: "test-server")
        logger.logLevel = .critical
        do {
            _ = try Daemon.prepare(configuration: config, logger: logger)
            XCTFail("an older store was served")
        } catch {
            XCTAssertTrue("\(error)".contains("older than this build's \(StoreFormat.current): stop parleyd and run `parleyd upgrade --data-dir \(dir)`"), "\(error)")
        }

        let outcomes = try StoreUpgrade.run(databasePath: path, mapReserve: 1 << 30)
        XCTAssertEqual(outcomes.first?.to, StoreFormat.current)
        let instance = try Daemon.prepare(configuration: config, logger: logger)
        _ = try await instance.start()
        await instance.stop()
    }
}
