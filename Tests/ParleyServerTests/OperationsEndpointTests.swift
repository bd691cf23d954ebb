import Foundation
@testable import ParleyServer
import ParleyWire
import XCTest

/// The operations listener scraped while calls are being made: the call counter and the
/// latency histogram move with the calls, the writer's histograms with its commits, the
/// figures agree with ServerInfo, and /readyz turns 503 once shutdown begins.
final class OperationsEndpointTests: XCTestCase {
    func testMetricsMoveDuringLoadAndReadinessFailsWhileShuttingDown() async throws {
        let harness = try await ServerHarness.startWithStore { $0.metricsAddress = ("127.0.0.1", 0) }
        let port = try XCTUnwrap(harness.instance?.metricsPort)
        XCTAssertEqual(try HTTPProbe.get(port: port, path: "/healthz").status, 200)
        XCTAssertEqual(try HTTPProbe.get(port: port, path: "/readyz").status, 200)
        XCTAssertEqual(try HTTPProbe.get(port: port, path: "/nothing").status, 404)

        let okLogTurn = "method=\"LogTurn\",status=\"OK\""
        let clients = 4, callsEach = 50
        let load = Task {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for c in 0..<clients {
                    group.addTask {
                        let client = harness.client()
                        for i in 0..<callsEach {
                            let turn = MetricsConsistencyTests.turn("m\(c)-\(i)", session: "s\(c)", at: 1_763_000_000_000 + Int64(i), tokens: 10)
                            _ = try await client.logTurn(turn.wire)
                        }
                        await client.close()
                    }
                }
                try await group.waitForAll()
            }
        }
        // Scrapes during the load never see a counter go backwards.
        var seen: [Double] = []
        while !load.isCancelled, seen.count < 200 {
            let body = try HTTPProbe.get(port: port, path: "/metrics").body
            seen.append(HTTPProbe.sample(body, MetricName.calls.rawValue, labels: okLogTurn) ?? 0)
            if seen.last == Double(clients * callsEach) { break }
            try await Task.sleep(nanoseconds: 5_000_000)
        }
        try await load.value
        XCTAssertEqual(seen, seen.sorted(), "a counter went backwards between scrapes")

        let scrape = try HTTPProbe.get(port: port, path: "/metrics")
        XCTAssertEqual(scrape.status, 200)
        let body = scrape.body
        let total = Double(clients * callsEach)
        XCTAssertEqual(HTTPProbe.sample(body, MetricName.calls.rawValue, labels: okLogTurn), total)
        XCTAssertEqual(HTTPProbe.sample(body, MetricName.callDuration.rawValue + "_count", labels: "method=\"LogTurn\""), total)
        XCTAssertGreaterThan(HTTPProbe.sample(body, MetricName.callDuration.rawValue + "_sum", labels: "method=\"LogTurn\"") ?? 0, 0)
        XCTAssertEqual(HTTPProbe.sample(body, MetricName.callsInFlight.rawValue), 0)
        let commits = try XCTUnwrap(HTTPProbe.sample(body, MetricName.commitDuration.rawValue + "_count"))
        XCTAssertGreaterThan(commits, 0)
        // Every LogTurn request went through one commit; a commit carries one or more.
        XCTAssertEqual(HTTPProbe.sample(body, MetricName.batchRequests.rawValue + "_sum"), total)
        XCTAssertGreaterThan(HTTPProbe.sample(body, MetricName.databasePages.rawValue) ?? 0, 2)
        XCTAssertNotNil(HTTPProbe.sample(body, MetricName.databaseFreePages.rawValue))

        // ServerInfo counts the same events.
        let info = try await harness.client().serverInfo(V1.Empty())
        let infoCount = info.calls.first { $0.method == "LogTurn" && $0.status == 0 }?.count
        XCTAssertEqual(infoCount.map(Double.init), total)

        // Shutdown: /readyz answers 503 from its first step, /healthz still 200.
        harness.instance?.operations.readiness.shutdownBegan()
        let notReady = try HTTPProbe.get(port: port, path: "/readyz")
        XCTAssertEqual(notReady.status, 503)
        XCTAssertTrue(notReady.body.contains("shutting down"), notReady.body)
        XCTAssertEqual(try HTTPProbe.get(port: port, path: "/healthz").status, 200)
        await harness.stop()
        XCTAssertThrowsError(try HTTPProbe.get(port: port, path: "/healthz"), "the listener closes with the server")
    }

    /// The database figures: the commit log grows with commits and empties at a
    /// checkpoint, which the checkpoint counters count; a reader held open shows as the
    /// oldest reader, ageing; ServerInfo reports the same figures as the scrape.
    func testDatabaseFiguresMoveWithCommitsCheckpointsAndReaders() async throws {
        let harness = try await ServerHarness.startWithStore { $0.metricsAddress = ("127.0.0.1", 0) }
        let port = try XCTUnwrap(harness.instance?.metricsPort)
        let database = try XCTUnwrap(harness.instance?.store.database)
        func scrape(_ name: MetricName) throws -> Double? {
            HTTPProbe.sample(try HTTPProbe.get(port: port, path: "/metrics").body, name.rawValue)
        }
        let client = harness.client()
        for i in 0..<20 {
            _ = try await client.logTurn(MetricsConsistencyTests.turn("f\(i)", session: "s", at: 1_763_000_000_000 + Int64(i), tokens: 10).wire)
        }
        let logBefore = try XCTUnwrap(try scrape(.commitLogBytes))
        XCTAssertGreaterThan(logBefore, 4096, "the log holds the commits since the last checkpoint")
        let checkpointsBefore = try scrape(.checkpoints) ?? 0

        try database.checkpoint()
        XCTAssertEqual(try scrape(.checkpoints), checkpointsBefore + 1)
        XCTAssertGreaterThan(try XCTUnwrap(try scrape(.checkpointPages)), 0, "the commits' pages were synced by it")
        XCTAssertNotNil(try scrape(.checkpointDuration))
        XCTAssertLessThan(try XCTUnwrap(try scrape(.commitLogBytes)), logBefore, "a checkpoint empties the log")

        XCTAssertEqual(try scrape(.readers), 0)
        let reader = try database.beginRead()
        try await Task.sleep(nanoseconds: 60_000_000)
        XCTAssertEqual(try scrape(.readers), 1)
        let age = try XCTUnwrap(try scrape(.oldestReaderAge))
        XCTAssertGreaterThanOrEqual(age, 0.05)
        let answer = try await client.serverInfo(V1.Empty())
        let info = try XCTUnwrap(answer.database)
        XCTAssertEqual(info.readers, 1)
        XCTAssertGreaterThanOrEqual(Double(try XCTUnwrap(info.oldestReaderAgeMs)) / 1000, age)
        XCTAssertEqual(info.checkpoints.map(Double.init), try scrape(.checkpoints))
        XCTAssertEqual(info.checkpointPages.map(Double.init), try scrape(.checkpointPages))
        XCTAssertEqual(info.freePages.map(Double.init), try scrape(.databaseFreePages))
        XCTAssertEqual(info.pages.map(Double.init), try scrape(.databasePages))
        reader.close()
        XCTAssertEqual(try scrape(.readers), 0)
        XCTAssertEqual(try scrape(.oldestReaderAge), 0)
        await client.close()
        await harness.stop()
    }
}
