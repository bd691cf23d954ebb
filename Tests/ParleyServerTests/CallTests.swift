import NIOCore
import ParleyClient
import ParleyServer
import ParleyWire
import XCTest
import ParleyTestSupport

/// Calls through the real client: concurrency on one connection, streaming, deadlines,
/// cancellation, and reconnection after the server goes away.
final class CallTests: XCTestCase {
    func testSixtyFourConcurrentCallsOnOneConnectionMatchTheirIDs() async throws {
        let services = TestServices()
        let harness = try await ServerHarness.start(services: services.registry)
        let client = harness.client()
        try await withThrowingTaskGroup(of: (String, String?).self) { group in
            for i in 0..<64 {
                // Later calls finish first: answers come back out of order.
                group.addTask { (String(i), try await client.call(ParleyRPC.getTurn, turnKey(String(i), delayMs: (64 - i) % 17 * 5)).turnID) }
            }
            var seen = 0
            for try await (sent, got) in group {
                XCTAssertEqual(sent, got)
                seen += 1
            }
            XCTAssertEqual(seen, 64)
        }
        XCTAssertGreaterThan(services.maxRunning.withLockedValue { $0 }, 1, "calls really ran concurrently")
        await client.close()
        await harness.stop()
    }

    func testServerStreamingDeliversEveryMessageThenEnds() async throws {
        let harness = try await ServerHarness.start(services: TestServices().registry)
        let client = harness.client()
        var done: [Int64] = []
        for try await p in client.stream(ParleyRPC.check, V1.Empty()) {
            done.append(p.done ?? -1)
        }
        XCTAssertEqual(done, [1, 2, 3])
        await client.close()
        await harness.stop()
    }

    func testDeadlineGivesDeadlineExceededAndCancelsTheServerWork() async throws {
        let services = TestServices()
        let harness = try await ServerHarness.start(services: services.registry)
        let client = harness.client()
        do {
            _ = try await client.call(ParleyRPC.stats, V1.Empty(), timeoutMs: 100)
            XCTFail("expected DEADLINE_EXCEEDED")
        } catch let e as RPCError {
            XCTAssertEqual(e.status, .deadlineExceeded)
        }
        try await waitUntil { services.cancelledCalls.withLockedValue { $0 } == 1 }
        // The connection is still good.
        _ = try await client.call(ParleyRPC.serverInfo, V1.Empty())
        await client.close()
        await harness.stop()
    }

    func testCancellingTheCallerSendsCancel() async throws {
        let services = TestServices()
        let harness = try await ServerHarness.start(services: services.registry)
        let client = harness.client(timeoutMs: nil)
        let task = Task { try await client.call(ParleyRPC.stats, V1.Empty()) }
        try await Task.sleep(nanoseconds: 100_000_000)
        task.cancel()
        do {
            _ = try await task.value
            XCTFail("expected CANCELLED")
        } catch let e as RPCError {
            XCTAssertEqual(e.status, .cancelled)
        }
        try await waitUntil { services.cancelledCalls.withLockedValue { $0 } == 1 }
        let info = try await client.call(ParleyRPC.serverInfo, V1.Empty())
        let cancelled = info.calls.first { $0.method == "Stats" }
        XCTAssertEqual(cancelled?.status, UInt32(StatusCode.cancelled.rawValue))
        await client.close()
        await harness.stop()
    }

    func testClientReconnectsAfterTheServerWentAway() async throws {
        let services = TestServices()
        let first = try await ServerHarness.start(services: services.registry)
        let port = first.port
        let dir = first.dataDirectory
        let client = first.client()
        let before = try await client.call(ParleyRPC.getTurn, turnKey("before"))
        XCTAssertEqual(before.turnID, "before")
        await first.server.shutdownGracefully()
        let second = try await ServerHarness.start(services: services.registry, port: port, dataDirectory: dir)
        let after = try await client.call(ParleyRPC.getTurn, turnKey("after"))
        XCTAssertEqual(after.turnID, "after")
        await client.close()
        await second.stop()
    }

    func testUnreachableServerIsATypedError() async throws {
        var config = ClientConfiguration(host: "127.0.0.1", port: 1, apiKey: "x")
        config.connectTimeoutMs = 1_000
        let client = ParleyClient(configuration: config)
        do {
            _ = try await client.connect()
            XCTFail("expected unreachable")
        } catch let e as ClientError {
            guard case .unreachable = e else { return XCTFail("\(e)") }
        }
        await client.close()
    }

    func testBadKeyIsRejectedWithUnauthenticated() async throws {
        let harness = try await ServerHarness.start()
        let client = harness.client(key: "pk_nope")
        do {
            _ = try await client.connect()
            XCTFail("expected rejection")
        } catch let e as ClientError {
            guard case .rejected(let r) = e else { return XCTFail("\(e)") }
            XCTAssertEqual(r.status, .unauthenticated)
        }
        await client.close()
        await harness.stop()
    }

    func testPingMeasuresARoundTrip() async throws {
        let harness = try await ServerHarness.start()
        let client = harness.client()
        let ns = try await client.ping()
        XCTAssertGreaterThan(ns, 0)
        await client.close()
        await harness.stop()
    }
}

/// Polls `condition` for up to five seconds.
func waitUntil(_ condition: () -> Bool, file: StaticString = #filePath, line: UInt = #line) async throws {
    for _ in 0..<500 {
        if condition() { return }
        try await Task.sleep(nanoseconds: 10_000_000)
    }
    XCTFail("condition not met within 5 s", file: file, line: line)

    func testInternalErrorsReachTheClientAsAReferenceOnly() async throws {
        let services = TestServices()
        let harness = try await ServerHarness.start(services: services.registry)
        let client = harness.client()
        do {
            _ = try await client.call(ParleyRPC.backup, V1.BackupRequest(path: "/tmp/x"))
            XCTFail("expected INTERNAL")
        } catch let e as RPCError {
            XCTAssertEqual(e.status, .internal)
            XCTAssertFalse(e.message.contains("secret"), e.message)
            XCTAssertTrue(e.message.contains("reference"), e.message)
        }
        await client.close()
        await harness.stop()
    }
}
