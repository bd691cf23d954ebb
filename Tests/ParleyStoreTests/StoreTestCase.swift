import Foundation
import ParleyCore
import ParleyStorage
import ParleyStore
import XCTest

/// Opens a store in a fresh temporary directory (nosync unless a test asks otherwise)
/// and removes the directory afterwards.
class StoreTestCase: XCTestCase {
    var directory = ""
    var path: String { directory + "/parley.db" }

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "parley-store-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: directory)
    }

    func openStore(durability: Durability = .nosync, configure: (inout StoreOptions) -> Void = { _ in }) throws -> ParleyStore {
        var options = StoreOptions()
        options.durability = durability
        configure(&options)
        return try ParleyStore(path: path, options: options)
    }

    func assertClean(_ store: ParleyStore, file: StaticString = #filePath, line: UInt = #line) throws {
        let report = try store.database.check()
        XCTAssertTrue(report.isClean, report.description, file: file, line: line)
    }

    func turn(_ id: String, org: String = "org1", session: String = "s1", at time: Millis = 1_700_000_000_000,
              tokens: TokenCounts? = TokenCounts(input: 10, output: 20), model: String = "gpt-4o") -> Turn {
        Turn(turnId: id, organizationId: org, sessionId: session, deviceId: "d1", contactId: "c1", personaId: "p1", widgetId: "w1",
             userId: "u1", model: model, userMessage: "hello", aiResponse: "hi there", tokens: tokens,
             userMessageAt: time - 500, repliedAt: time)
    }

    /// Logs one turn and returns its result.
    func log(_ store: ParleyStore, _ turn: Turn, receivedAt: Millis = 1_700_000_000_000) async -> TurnResult {
        let results = await store.logTurns([turn], receivedAt: receivedAt)
        XCTAssertEqual(results.count, 1)
        return results[0]
    }

    func accepted(_ result: TurnResult, file: StaticString = #filePath, line: UInt = #line) throws -> (Turn, WriteOutcome, SessionMetrics) {
        guard case let .accepted(turn, outcome, metrics) = result else {
            XCTFail("expected accepted, got \(result)", file: file, line: line)
            throw StoreError.conflict("unexpected result")
        }
        return (turn, outcome, metrics)
    }
}

