import NIOCore
import ParleyClient
import ParleyWire
import XCTest
import ParleyTestSupport

/// Every row of the bad-input table in docs/PROTOCOL.md, against a live server, with the
/// connection's fate asserted while a second, well-behaved connection keeps working.
/// Over TCP here; `InProcessBadInputTests` runs the same table through the in-process
/// transport.
class BadInputTests: XCTestCase {
    /// The transport every connection of the test uses, bystander included.
    class var transport: HarnessTransport { .tcp }
    private var harness: ServerHarness!
    private var bystander: ParleyClient!
    private let services = TestServices()

    override func setUp() async throws {
        harness = try await ServerHarness.start(services: services.registry, transport: Self.transport) { config in
            config.maxFrameSize = 64 * 1024
        }
        bystander = harness.client()
        _ = try await bystander.connect()
    }

    override func tearDown() async throws {
        await bystander.close()
        await harness.stop()
    }

    private func assertBystanderWorks(file: StaticString = #filePath, line: UInt = #line) async throws {
        let info = try await bystander.call(ParleyRPC.serverInfo, V1.Empty())
        XCTAssertNotNil(info.version, file: file, line: line)
    }

    private func ready() throws -> RawConnection {
        let raw = try harness.raw()
        let reply = try raw.hello(key: harness.adminKey)
        XCTAssertEqual(reply.type, .hello)
        XCTAssertEqual(reply.code, 0)
        return raw
    }

    private func rawHeader(magic: [UInt8] = [0x50, 0x4C], version: UInt8 = 1, type: UInt8 = 5, callID: UInt32 = 0,
                           flags: UInt16 = 0, meta: UInt32 = 0, body: UInt32 = 0) -> [UInt8] {
        var b = ByteBuffer(bytes: magic)
        b.writeInteger(version); b.writeInteger(type); b.writeInteger(callID); b.writeInteger(UInt16(0))
        b.writeInteger(flags); b.writeInteger(meta); b.writeInteger(body)
        return Array(b.readableBytesView)
    }

    private func assertGoAway(_ raw: RawConnection, _ status: StatusCode, contains text: String,
                              file: StaticString = #filePath, line: UInt = #line) async throws {
        let (frame, meta, closed) = try raw.expectGoAway()
        XCTAssertEqual(frame.code, status.rawValue, "GOAWAY status; message: \(meta.message)", file: file, line: line)
        XCTAssertTrue(meta.message.contains(text), "message \"\(meta.message)\" lacks \"\(text)\"", file: file, line: line)
        XCTAssertTrue(closed, "connection should be closed", file: file, line: line)
        try await assertBystanderWorks(file: file, line: line)
    }

    func testWrongMagic() async throws {
        let raw = try harness.raw()
        raw.send(rawHeader(magic: [0x47, 0x45]))
        try await assertGoAway(raw, .invalidArgument, contains: "magic")
    }

    func testWrongVersion() async throws {
        let raw = try harness.raw()
        raw.send(rawHeader(version: 9))
        try await assertGoAway(raw, .invalidArgument, contains: "version")
    }

    func testUnknownFrameType() async throws {
        let raw = try ready()
        raw.send(rawHeader(type: 42))
        try await assertGoAway(raw, .invalidArgument, contains: "frame type")
    }

    func testReservedFlagBits() async throws {
        let raw = try ready()
        raw.send(rawHeader(flags: 0x8000))
        try await assertGoAway(raw, .invalidArgument, contains: "flag")
    }

    func testMetaOver64KiB() async throws {
        let raw = try ready()
        raw.send(rawHeader(type: 2, callID: 1, meta: 65_537))
        try await assertGoAway(raw, .resourceExhausted, contains: "meta")
    }

    func testFrameOverMaxSize() async throws {
        let raw = try ready()
        raw.send(rawHeader(type: 2, callID: 1, meta: 0, body: 64 * 1024 + 1))
        try await assertGoAway(raw, .resourceExhausted, contains: "exceeds")
    }

    func testCallIDZero() async throws {
        let raw = try ready()
        try raw.request(Method.serverInfo.id, callID: 0)
        try await assertGoAway(raw, .invalidArgument, contains: "call id 0")
    }

    func testCallIDAlreadyInFlight() async throws {
        let raw = try ready()
        try raw.request(Method.getTurn.id, callID: 5, body: turnKey("a", delayMs: 2_000))
        try raw.request(Method.getTurn.id, callID: 5, body: turnKey("b"))
        try await assertGoAway(raw, .invalidArgument, contains: "already in flight")
    }

    func testRequestBeforeHello() async throws {
        let raw = try harness.raw()
        try raw.request(Method.serverInfo.id, callID: 1)
        try await assertGoAway(raw, .unauthenticated, contains: "before a successful HELLO")
    }

    func testBadKeyGetsUnauthenticatedThenGoAway() async throws {
        let raw = try harness.raw()
        let reply = try raw.hello(key: "pk_wrong")
        XCTAssertEqual(reply.type, .hello)
        XCTAssertEqual(reply.code, StatusCode.unauthenticated.rawValue)
        try await assertGoAway(raw, .unauthenticated, contains: "not valid")
    }

    func testPingBeforeHelloIsAnswered() throws {
        let raw = try harness.raw()
        raw.send(Frame(type: .ping, body: ByteBuffer(bytes: [1, 2, 3, 4, 5, 6, 7, 8])))
        let pong = try raw.readFrame()
        XCTAssertEqual(pong.type, .pong)
        XCTAssertEqual(Array(pong.body.readableBytesView), [1, 2, 3, 4, 5, 6, 7, 8])
    }

    func testUnknownMethodIDKeepsTheConnection() async throws {
        let raw = try ready()
        try raw.request(999, callID: 1)
        let r = try raw.readFrame()
        XCTAssertEqual(r.type, .response)
        XCTAssertEqual(r.callID, 1)
        XCTAssertEqual(r.code, StatusCode.unimplemented.rawValue)
        try raw.request(Method.serverInfo.id, callID: 2)
        XCTAssertEqual(try raw.readFrame().code, 0, "connection stays usable")
        try await assertBystanderWorks()
    }

    func testUnbuiltMethodAnswersUnimplemented() async throws {
        let raw = try ready()
        try raw.request(Method.logTurn.id, callID: 1)
        let r = try raw.readFrame()
        XCTAssertEqual(r.code, StatusCode.unimplemented.rawValue)
        XCTAssertTrue(try RawConnection.responseMeta(r).message.contains("LogTurn"))
    }

    func testBodyThatDoesNotDecodeKeepsTheConnection() async throws {
        let raw = try ready()
        raw.send(Frame(type: .request, callID: 3, code: Method.getTurn.id, body: ByteBuffer(bytes: [0x0A, 0x09, 0x41])))
        let r = try raw.readFrame()
        XCTAssertEqual(r.callID, 3)
        XCTAssertEqual(r.code, StatusCode.invalidArgument.rawValue)
        XCTAssertTrue(try RawConnection.responseMeta(r).message.contains("does not decode"))
        // invalid UTF-8 in turn_id (field 2 of TurnKey) names the field
        raw.send(Frame(type: .request, callID: 4, code: Method.getTurn.id, body: ByteBuffer(bytes: [0x12, 0x02, 0xC3, 0x28])))
        let r2 = try raw.readFrame()
        XCTAssertEqual(r2.code, StatusCode.invalidArgument.rawValue)
        XCTAssertEqual(try RawConnection.responseMeta(r2).violations.first?.field, "turn_id")
        try raw.request(Method.serverInfo.id, callID: 5)
        XCTAssertEqual(try raw.readFrame().code, 0)
        try await assertBystanderWorks()
    }

    func testEnumOutOfRangeIsInvalidArgumentNamingTheField() async throws {
        let raw = try ready()
        // UsageRequest.granularity (field 4, varint) = 99: Granularity defines 0...5.
        raw.send(Frame(type: .request, callID: 6, code: Method.usage.id, body: ByteBuffer(bytes: [0x20, 0x63])))
        let r = try raw.readFrame()
        XCTAssertEqual(r.callID, 6)
        XCTAssertEqual(r.code, StatusCode.invalidArgument.rawValue)
        XCTAssertEqual(try RawConnection.responseMeta(r).violations.first?.field, "granularity")
        // In range, the same method is served.
        raw.send(Frame(type: .request, callID: 7, code: Method.usage.id, body: ByteBuffer(bytes: [0x20, 0x02])))
        XCTAssertEqual(try raw.readFrame().code, 0)
        try await assertBystanderWorks()
    }

    func testMetaThatDoesNotDecodeKeepsTheConnection() async throws {
        let raw = try ready()
        raw.send(Frame(type: .request, callID: 3, code: Method.serverInfo.id, meta: ByteBuffer(bytes: [0xFF, 0xFF])))
        let r = try raw.readFrame()
        XCTAssertEqual(r.code, StatusCode.invalidArgument.rawValue)
        XCTAssertTrue(try RawConnection.responseMeta(r).message.contains("metadata"))
        try raw.request(Method.serverInfo.id, callID: 4)
        XCTAssertEqual(try raw.readFrame().code, 0)
    }

    func testKeyLackingTheOrganizationIsPermissionDenied() async throws {
        // A second server whose only key is bound to organization "acme".
        let dir = NSTemporaryDirectory() + "parley-test-org-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let key = "pk_acme_test_key"
        try "\(sha256Hex(key)) admin acme\n".write(toFile: dir + "/api-keys", atomically: true, encoding: .utf8)
        let scoped = try await ServerHarness.start(services: services.registry, transport: Self.transport, dataDirectory: dir)
        defer { Task { await scoped.stop() } }
        let client = scoped.client(key: key)
        var device = V1.EntityKey()
        device.organizationID = "other"
        do {
            _ = try await client.call(ParleyRPC.getDevice, device)
            XCTFail("expected PERMISSION_DENIED")
        } catch let e as RPCError {
            XCTAssertEqual(e.status, .permissionDenied)
        }
        device.organizationID = "acme"
        _ = try await client.call(ParleyRPC.getDevice, device)
        await client.close()
    }

    func testDeadlinePassedBeforeTheWorkRan() async throws {
        await harness.stop()
        harness = try await ServerHarness.start(services: services.registry, transport: Self.transport) { $0.maxInFlightCalls = 1 }
        let raw = try ready()
        // Both frames in one write, so the server receives the second while the first runs.
        var both = ByteBuffer()
        Frame(type: .request, callID: 1, code: Method.getTurn.id, body: try turnKey("slow", delayMs: 300).encoded()).write(to: &both)
        Frame(type: .request, callID: 2, code: Method.getTurn.id, meta: try CallMetadata(timeoutMs: 50).wire.encoded(),
              body: try turnKey("late").encoded()).write(to: &both)
        raw.send(Array(both.readableBytesView))
        var codes: [UInt32: UInt16] = [:]
        for _ in 0..<2 { let f = try raw.readFrame(); codes[f.callID] = f.code }
        XCTAssertEqual(codes[1], 0)
        XCTAssertEqual(codes[2], StatusCode.deadlineExceeded.rawValue)
    }

    func testTooManyInFlightCallsAreHeldBackNotDropped() async throws {
        await harness.stop()
        harness = try await ServerHarness.start(services: services.registry, transport: Self.transport) { $0.maxInFlightCalls = 2 }
        let raw = try ready()
        for id in 1...12 { try raw.request(Method.getTurn.id, callID: UInt32(id), body: turnKey("t\(id)", delayMs: 20)) }
        var answered = Set<UInt32>()
        for _ in 1...12 {
            let f = try raw.readFrame()
            XCTAssertEqual(f.code, 0)
            answered.insert(f.callID)
        }
        XCTAssertEqual(answered, Set(1...12))
        XCTAssertLessThanOrEqual(services.maxRunning.withLockedValue { $0 }, 2, "never more than max in flight at once")
    }

    func testIdleConnectionGetsGoAwayUnavailable() async throws {
        await harness.stop()
        harness = try await ServerHarness.start(services: services.registry, transport: Self.transport) { $0.idleTimeoutMs = 200 }
        bystander = harness.client()
        let raw = try ready()
        let (frame, meta, closed) = try raw.expectGoAway()
        XCTAssertEqual(frame.code, StatusCode.unavailable.rawValue)
        XCTAssertTrue(meta.message.contains("idle"))
        XCTAssertTrue(closed)
    }

    func testMaxConnectionsRefusesTheExtraOne() async throws {
        await harness.stop()
        harness = try await ServerHarness.start(services: services.registry, transport: Self.transport) { $0.maxConnections = 2 }
        bystander = harness.client()
        _ = try await bystander.connect()
        let second = try ready()
        let third = try harness.raw()
        let (frame, _, closed) = try third.expectGoAway()
        XCTAssertEqual(frame.code, StatusCode.resourceExhausted.rawValue)
        XCTAssertTrue(closed)
        try second.request(Method.serverInfo.id, callID: 1)
        XCTAssertEqual(try second.readFrame().code, 0)
    }
}

/// The bad-input table through the in-process transport: the same pipeline on pipes, no
/// socket.
/// XCTest on Linux discovers only the tests a class declares, so each row is named here.
final class InProcessBadInputTests: BadInputTests {
    override class var transport: HarnessTransport { .inProcess }

    override func testWrongMagic() async throws { try await super.testWrongMagic() }
    override func testWrongVersion() async throws { try await super.testWrongVersion() }
    override func testUnknownFrameType() async throws { try await super.testUnknownFrameType() }
    override func testReservedFlagBits() async throws { try await super.testReservedFlagBits() }
    override func testMetaOver64KiB() async throws { try await super.testMetaOver64KiB() }
    override func testFrameOverMaxSize() async throws { try await super.testFrameOverMaxSize() }
    override func testCallIDZero() async throws { try await super.testCallIDZero() }
    override func testCallIDAlreadyInFlight() async throws { try await super.testCallIDAlreadyInFlight() }
    override func testRequestBeforeHello() async throws { try await super.testRequestBeforeHello() }
    override func testBadKeyGetsUnauthenticatedThenGoAway() async throws { try await super.testBadKeyGetsUnauthenticatedThenGoAway() }
    override func testPingBeforeHelloIsAnswered() throws { try super.testPingBeforeHelloIsAnswered() }
    override func testUnknownMethodIDKeepsTheConnection() async throws { try await super.testUnknownMethodIDKeepsTheConnection() }
    override func testUnbuiltMethodAnswersUnimplemented() async throws { try await super.testUnbuiltMethodAnswersUnimplemented() }
    override func testBodyThatDoesNotDecodeKeepsTheConnection() async throws { try await super.testBodyThatDoesNotDecodeKeepsTheConnection() }
    override func testEnumOutOfRangeIsInvalidArgumentNamingTheField() async throws { try await super.testEnumOutOfRangeIsInvalidArgumentNamingTheField() }
    override func testMetaThatDoesNotDecodeKeepsTheConnection() async throws { try await super.testMetaThatDoesNotDecodeKeepsTheConnection() }
    override func testKeyLackingTheOrganizationIsPermissionDenied() async throws { try await super.testKeyLackingTheOrganizationIsPermissionDenied() }
    override func testDeadlinePassedBeforeTheWorkRan() async throws { try await super.testDeadlinePassedBeforeTheWorkRan() }
    override func testTooManyInFlightCallsAreHeldBackNotDropped() async throws { try await super.testTooManyInFlightCallsAreHeldBackNotDropped() }
    override func testIdleConnectionGetsGoAwayUnavailable() async throws { try await super.testIdleConnectionGetsGoAwayUnavailable() }
    override func testMaxConnectionsRefusesTheExtraOne() async throws { try await super.testMaxConnectionsRefusesTheExtraOne() }
}
