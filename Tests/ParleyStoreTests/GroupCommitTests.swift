import ParleyCore
import ParleyStorage
import ParleyStore
import XCTest

final class GroupCommitTests: StoreTestCase {
    /// Durable commits are slow enough that concurrent callers queue behind one and
    /// share the next: fewer commits than requests. Every acknowledged turn is visible
    /// to a fresh snapshot the moment its call returns, i.e. it was committed first.
    func testConcurrentWritesShareCommitsAndAreCommittedWhenAcknowledged() async throws {
        let store = try openStore(durability: .sync)
        defer { store.close() }
        let before = store.writerStatistics
        let requests = 64
        await withTaskGroup(of: Void.self) { group in
            for index in 0..<requests {
                group.addTask {
                    let turn = Turn(turnId: "t\(index)", organizationId: "org1", sessionId: "s\(index % 4)", aiResponse: "a",
                                    tokens: TokenCounts(input: 1, output: 1), repliedAt: 1_700_000_000_000 + Millis(index))
                    let results = await store.logTurns([turn], receivedAt: 1_700_000_000_000)
                    guard case .accepted(_, .stored, _) = results.first else { return XCTFail("t\(index): \(results)") }
                    XCTAssertNotNil(try? store.turn(organization: "org1", id: "t\(index)"), "t\(index) acknowledged before it was visible")
                }
            }
        }
        let after = store.writerStatistics
        let commits = after.commits - before.commits
        XCTAssertEqual(after.requests - before.requests, Int64(requests))
        XCTAssertEqual(after.items - before.items, Int64(requests))
        XCTAssertLessThan(commits, Int64(requests), "no batching: \(after)")
        XCTAssertGreaterThan(after.largestBatch, 1)
        XCTAssertEqual(after.failedBatches, 0)
        var total: Int64 = 0
        for session in 0..<4 {
            total += try XCTUnwrap(store.sessionMetrics(organization: "org1", session: "s\(session)")).turnCount
        }
        XCTAssertEqual(total, Int64(requests))
        try assertClean(store)
    }

    /// A storage failure in the middle of a batch rolls the whole transaction back and
    /// fails every request of it, including the ones applied before the failure. The
    /// failure: limits raised past what one value of the engine can hold.
    func testStorageFailureMidBatchRollsBackEveryRequest() async throws {
        let store = try openStore { $0.limits.maxTextBytes = 32 << 20 }
        var huge = turn("t2")
        // Text that does not pack (stored text is packed when that makes it shorter).
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        huge.aiResponse = String(decoding: (0..<(17 << 20)).map { _ -> UInt8 in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(33 + (state >> 33) % 94)
        }, as: UTF8.self)
        async let device = store.upsertDevice(Device(organizationId: "org1", deviceId: "d9"))
        let results = await store.logTurns([turn("t1"), huge], receivedAt: 1_700_000_000_000)
        XCTAssertEqual(results.count, 2)
        for result in results {
            guard case .failed(.storage(let error)) = result else { return XCTFail("expected a storage failure, got \(result)") }
            XCTAssertEqual(error.kind, .valueTooLarge)
        }
        // The device either shared the failed batch (and failed) or committed alone.
        let deviceStored = (try? await device) != nil
        XCTAssertNil(try store.turn(organization: "org1", id: "t1"))
        XCTAssertNil(try store.sessionMetrics(organization: "org1", session: "s1"))
        XCTAssertEqual(try store.device(organization: "org1", id: "d9") != nil, deviceStored)
        XCTAssertGreaterThanOrEqual(store.writerStatistics.failedBatches, 1)
        // The writer goes on after a failed batch.
        let retried = try accepted(await log(store, turn("t1")))
        XCTAssertEqual(retried.1, .stored)
        try assertClean(store)
        store.close()
    }
}
