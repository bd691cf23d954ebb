import Foundation
import NIOCore
import ParleyClient
@testable import ParleyServer
import ParleyWire
import XCTest

/// Each limit on its own: HELLO deadline, started-frame deadline, connections per peer,
/// requests per key, and the bound on bytes of unanswered requests.
final class ConnectionLimitsTests: XCTestCase {
    func testNoHelloInTimeIsClosedWithGoAway() async throws {
        let harness = try await ServerHarness.start(services: TestServices().registry) { $0.helloTimeoutMs = 300 }
        let raw = try harness.raw()
        let t = Date()
        let goAway = try raw.expectGoAway()
        XCTAssertEqual(goAway.frame.code, StatusCode.unauthenticated.rawValue)
        XCTAssertTrue(goAway.meta.message.contains("no HELLO within 300 ms"), goAway.meta.message)
        XCTAssertTrue(goAway.closed)
        XCTAssertLessThan(Date().timeIntervalSince(t), 3)
        await harness.stop()
    }

    func testAFrameStartedButNotFinishedIsClosed() async throws {
        let harness = try await ServerHarness.start(services: TestServices().registry) { $0.frameTimeoutMs = 300 }
        let raw = try harness.raw()
        XCTAssertEqual(try raw.hello(key: harness.adminKey).code, 0)
        // A header promising 100 body bytes, then 10 of them, then nothing.
        var b = ByteBuffer()
        Frame(type: .request, callID: 1, code: Method.serverInfo.id, body: ByteBuffer(bytes: [UInt8](repeating: 0, count: 100))).write(to: &b)
        raw.send(Array(b.readableBytesView.prefix(Frame.headerSize + 10)))
        let goAway = try raw.expectGoAway()
        XCTAssertEqual(goAway.frame.code, StatusCode.deadlineExceeded.rawValue)
        XCTAssertTrue(goAway.meta.message.contains("not completed within 300 ms"), goAway.meta.message)
        XCTAssertTrue(goAway.closed)
        await harness.stop()
    }

    func testFramesSplitAcrossReadsInTimeAreServed() async throws {
        let harness = try await ServerHarness.start(services: TestServices().registry) { $0.frameTimeoutMs = 2_000 }
        let raw = try harness.raw()
        XCTAssertEqual(try raw.hello(key: harness.adminKey).code, 0)
        var b = ByteBuffer()
        for id in 1...3 { Frame(type: .request, callID: UInt32(id), code: Method.serverInfo.id).write(to: &b) }
        let bytes = Array(b.readableBytesView)
        // Byte by byte for the first frame, then the rest in one piece.
        for byte in bytes.prefix(Frame.headerSize) { raw.send([byte]) }
        raw.send(Array(bytes.dropFirst(Frame.headerSize)))
        for _ in 1...3 { XCTAssertEqual(try raw.readFrame().code, 0) }
        await harness.stop()
    }

    func testConnectionsPerPeerAreCappedAndOtherPeersStillConnect() async throws {
        let harness = try await ServerHarness.start(services: TestServices().registry) { $0.maxConnectionsPerPeer = 3 }
        let held = try (0..<3).map { _ in try RawConnection(port: harness.port, source: "127.0.0.4") }
        for c in held { XCTAssertEqual(try c.hello(key: harness.adminKey).code, 0) }
        let fourth = try RawConnection(port: harness.port, source: "127.0.0.4")
        let refused = try fourth.expectGoAway()
        XCTAssertEqual(refused.frame.code, StatusCode.resourceExhausted.rawValue)
        XCTAssertTrue(refused.meta.message.contains("maximum of 3 connections"), refused.meta.message)
        let other = try RawConnection(port: harness.port, source: "127.0.0.5")
        XCTAssertEqual(try other.hello(key: harness.adminKey).code, 0, "another address is not affected")
        await harness.stop()
    }

    func testAKeyOverItsRateGetsResourceExhaustedWithRetryAfter() async throws {
        let harness = try await ServerHarness.start(services: TestServices().registry) { $0.keyRequestsPerSecond = 20 }
        let raw = try harness.raw()
        XCTAssertEqual(try raw.hello(key: harness.adminKey).code, 0)
        var b = ByteBuffer()
        for id in 1...40 { Frame(type: .request, callID: UInt32(id), code: Method.serverInfo.id).write(to: &b) }
        raw.send(Array(b.readableBytesView))
        var ok = 0, limited: [ResponseMetadata] = []
        for _ in 1...40 {
            let f = try raw.readFrame()
            if f.code == 0 { ok += 1 } else if f.code == StatusCode.resourceExhausted.rawValue { limited.append(try RawConnection.responseMeta(f)) }
        }
        XCTAssertGreaterThanOrEqual(ok, 20)
        XCTAssertLessThanOrEqual(ok, 22, "one second of tokens, plus what refilled while the burst was read")
        XCTAssertFalse(limited.isEmpty)
        XCTAssertTrue(limited.allSatisfy { ($0.retryAfterMs ?? 0) > 0 && ($0.retryAfterMs ?? 0) <= 1_000 }, "\(limited.map(\.retryAfterMs))")
        await harness.stop()
    }

    func testBytesOfUnansweredRequestsAreBounded() async throws {
        let harness = try await ServerHarness.start(services: TestServices().registry) { $0.maxBufferedRequestBytes = 4_096 }
        let raw = try harness.raw()
        XCTAssertEqual(try raw.hello(key: harness.adminKey).code, 0)
        // Ten slow calls of about 1 KiB each: the first few are held, the rest refused at once.
        var b = ByteBuffer()
        for id in 1...10 {
            let turn = V1.TurnKey(organizationID: "delay:300", turnID: String(repeating: "x", count: 1_000))
            Frame(type: .request, callID: UInt32(id), code: Method.getTurn.id, body: try turn.encoded()).write(to: &b)
        }
        raw.send(Array(b.readableBytesView))
        var codes: [UInt16] = []
        for _ in 1...10 { codes.append(try raw.readFrame().code) }
        let refused = codes.filter { $0 == StatusCode.resourceExhausted.rawValue }.count
        XCTAssertEqual(codes.filter { $0 == 0 }.count, 3, "\(codes)")
        XCTAssertEqual(refused, 7, "\(codes)")
        // Once answered the bytes are free again.
        try raw.request(Method.serverInfo.id, callID: 11)
        XCTAssertEqual(try raw.readFrame().code, 0)
        await harness.stop()
    }
}

/// Without TLS, parleyd listens beyond the machine only with --insecure-listen.
final class ListenPolicyTests: XCTestCase {
    func testANonLoopbackAddressNeedsInsecureListen() async throws {
        do {
            let harness = try await ServerHarness.start { $0.host = "0.0.0.0" }
            await harness.stop()
            XCTFail("listened on 0.0.0.0 without --insecure-listen")
        } catch {
            XCTAssertTrue("\(error)".contains("--insecure-listen"), "\(error)")
        }
        XCTAssertTrue(ListenPolicy.isLoopback("127.0.0.1"))
        XCTAssertTrue(ListenPolicy.isLoopback("::1"))
        XCTAssertTrue(ListenPolicy.isLoopback("localhost"))
        XCTAssertFalse(ListenPolicy.isLoopback("10.0.0.1"))
    }
}
