import Atomics
import Foundation
import NIOCore
import NIOPosix
@testable import ParleyServer
import ParleyStore
import XCTest

/// ServerInfo and /metrics read the database's figures on an event loop: the page walk
/// behind them must run elsewhere, one at a time, and never hold the loop.
final class DatabaseWatchTests: XCTestCase {
    func testPageWalkRunsOffTheEventLoopAndNeverHoldsARead() async throws {
        let dir = NSTemporaryDirectory() + "parley-watch-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var options = StoreOptions()
        options.durability = .nosync
        let store = try ParleyStore(path: dir + "/parley.db", options: options)
        defer { store.close() }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let loop = group.next()

        let walks = ManagedAtomic<Int>(0)
        let walksOnALoop = ManagedAtomic<Int>(0)
        let release = DispatchSemaphore(value: 0)
        // Walk n reports n pages; every walk after the first (made at start-up) waits for the
        // test, standing in for a walk of a large file.
        let watch = DatabaseWatch(store: store, interval: .zero) {
            let n = walks.wrappingIncrementThenLoad(ordering: .relaxed)
            if MultiThreadedEventLoopGroup.currentEventLoop != nil { walksOnALoop.wrappingIncrement(ordering: .relaxed) }
            if n > 1 { _ = release.wait(timeout: .now() + 10) }
            return DatabaseWatch.PageCounts(pages: n, freePages: 0)
        }
        XCTAssertEqual(walks.load(ordering: .relaxed), 1, "the first walk is made when the watch starts")

        // Every count is stale (interval zero): reads on the loop start a walk and answer
        // with the previous counts while it is held.
        for _ in 0..<3 {
            let reading = try await loop.submit { watch.read() }.get()
            XCTAssertEqual(reading?.pages, 1, "a read answers from the last walk, without waiting for the next")
        }
        let deadline = ContinuousClock.now + .seconds(5)
        while walks.load(ordering: .relaxed) < 2, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
        XCTAssertEqual(walks.load(ordering: .relaxed), 2, "one background walk at a time, however many reads find the counts stale")

        release.signal()
        var pages = 1
        while pages < 2, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(5))
            pages = try await loop.submit { watch.read()?.pages ?? 0 }.get()
        }
        XCTAssertGreaterThanOrEqual(pages, 2, "the finished walk's counts are reported")
        release.signal()
        release.signal()
        XCTAssertEqual(walksOnALoop.load(ordering: .relaxed), 0, "no walk ran on an event loop")
        try await group.shutdownGracefully()
    }
}
