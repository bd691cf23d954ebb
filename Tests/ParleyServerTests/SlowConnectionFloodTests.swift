import Foundation
import NIOCore
import ParleyClient
import ParleyServer
import ParleyWire
import XCTest

/// 2,000 slow or idle connections from two misbehaving hosts (127.0.0.2 and 127.0.0.3):
/// a third of them sent half a frame header, a third nothing, a third HELLO and then
/// silence. A well-behaved client on 127.0.0.1 still connects, its p99 stays within 2x
/// of its figure without them (plus a small slack for a shared 2-core machine), and every
/// slow connection is closed within the limits.
///
/// The process needs about 4,000 descriptors (both ends live in it): the soft limit is
/// raised to the hard one when it is lower, and the test skips if even that is too few.
final class SlowConnectionFloodTests: XCTestCase {
    static let helloTimeoutMs: Int64 = 2_000
    static let frameTimeoutMs: Int64 = 3_000
    static let idleTimeoutMs: Int64 = 4_000

    func testTwoThousandSlowConnectionsDoNotLockOutAWellBehavedClient() async throws {
        try Self.raiseOpenFileLimit(to: 4_600)
        let harness = try await ServerHarness.start(services: TestServices().registry) { config in
            config.helloTimeoutMs = Self.helloTimeoutMs
            config.frameTimeoutMs = Self.frameTimeoutMs
            config.idleTimeoutMs = Self.idleTimeoutMs
            config.maxConnections = 1_024
            config.maxConnectionsPerPeer = 256
        }
        _ = try await Self.p99(harness)  // warm-up: first connections pay for lazy setup
        let baseline = try await Self.p99(harness)

        var slow: [RawConnection] = []
        let halfHeader: [UInt8] = [0x50, 0x4C, 1, 1, 0, 0, 0, 0, 0]
        var hello = ByteBuffer()
        Frame(type: .hello, body: try Hello(clientName: "silent", apiKey: harness.adminKey).wire.encoded()).write(to: &hello)
        for i in 0..<2_000 {
            let c = try RawConnection(port: harness.port, timeoutSeconds: 1, source: i % 2 == 0 ? "127.0.0.2" : "127.0.0.3")
            switch i % 3 {
            case 0: c.send(halfHeader)
            case 1: break
            default: c.send(Array(hello.readableBytesView))
            }
            slow.append(c)
        }
        // Each connection's limits run from its own connect; the last one opened bounds them all.
        let lastOpened = Date()
        let during = try await Self.p99(harness)
        print("SlowConnectionFlood: good client p99 (connect + HELLO + ServerInfo) \(Self.ms(baseline)) ms alone, \(Self.ms(during)) ms with 2,000 slow connections open")
        XCTAssertLessThanOrEqual(during, 2 * baseline + 0.025, "p99 \(Self.ms(during)) ms with the flood vs \(Self.ms(baseline)) ms without")

        // Every slow connection is closed by the server within the longest limit, plus slack.
        let limit = Double(max(Self.helloTimeoutMs, Self.frameTimeoutMs, Self.idleTimeoutMs)) / 1000 + 3
        var open = slow.indices.map { $0 }
        while !open.isEmpty, Date().timeIntervalSince(lastOpened) < limit + 5 {
            open.removeAll { slow[$0].isClosedNow() }
            if !open.isEmpty { try await Task.sleep(nanoseconds: 100_000_000) }
        }
        let elapsed = Date().timeIntervalSince(lastOpened)
        print("SlowConnectionFlood: all 2,000 closed by the server within \(String(format: "%.1f", elapsed)) s of the last one opening (limit \(limit) s)")
        XCTAssertTrue(open.isEmpty, "\(open.count) slow connections still open after \(elapsed) s")
        XCTAssertLessThanOrEqual(elapsed, limit)
        await harness.stop()
    }

    /// The 99th percentile of 100 fresh connections each doing HELLO and one ServerInfo.
    static func p99(_ harness: ServerHarness) async throws -> Double {
        var samples: [Double] = []
        for _ in 0..<100 {
            let t = Date()
            let client = harness.client()
            _ = try await client.serverInfo(V1.Empty())
            samples.append(Date().timeIntervalSince(t))
            await client.close()
        }
        samples.sort()
        return samples[98]
    }

    static func ms(_ seconds: Double) -> String { String(format: "%.2f", seconds * 1000) }

    static func raiseOpenFileLimit(to wanted: rlim_t) throws {
        var limit = rlimit()
        getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        if limit.rlim_cur < wanted {
            limit.rlim_cur = min(wanted, limit.rlim_max)
            setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        }
        guard limit.rlim_cur >= wanted else {
            throw XCTSkip("the open-file limit is \(limit.rlim_cur); this test needs \(wanted)")
        }
    }
}
