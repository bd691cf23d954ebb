import NIOCore
import XCTest
@testable import ParleyWire

final class BridgeTests: XCTestCase {
    /// A message of `type` with every field set (lists with two items), nested to `depth`.
    private func filled(_ type: MessageType, depth: Int = 3, seed: Int = 1) -> ProtoMessage {
        var m = ProtoMessage(type)
        for (i, f) in type.fields.enumerated() {
            let n = Int64(seed * 31 + i)
            func one(_ k: Int64) -> ProtoValue? {
                switch f.kind {
                case .int32, .enumeration: return .int(f.kind == .enumeration ? 1 : -k)
                case .int64: return .int(-k * 1_000_000_007)
                case .uint32: return .uint(UInt64(k))
                case .uint64: return .uint(UInt64(k) << 40)
                case .float: return .double(0.5)
                case .double: return .double(Double(k) / 8)
                case .bool: return .bool(k % 2 == 0)
                case .string: return .string("té\(k)✓")
                case .bytes: return .bytes([0, 1, UInt8(k & 0xFF)])
                case .message:
                    guard depth > 0, let nested = type.nestedType(f) else { return nil }
                    return .message(filled(nested, depth: depth - 1, seed: Int(k)))
                }
            }
            if f.isRepeated {
                let items = [one(n), one(n + 1)].compactMap { $0 }
                if !items.isEmpty { m[f.name] = .list(items) }
            } else if let v = one(n) {
                m[f.name] = v
            }
        }
        return m
    }

    func testEveryMessageTypeRoundTripsWithEveryField() throws {
        var checked = 0
        for method in Method.allCases {
            for type in [method.requestType, method.responseType] {
                let m = filled(type)
                let bytes = try ProtoCodec.encode(m)
                XCTAssertEqual(try ProtoCodec.decode(type, from: bytes), m, type.name)
                checked += 1
            }
        }
        for name in ["Hello", "Welcome", "CallMetadata", "ResponseMetadata"] {
            let type = try XCTUnwrap(MessageType.named(name))
            let m = filled(type)
            XCTAssertEqual(try ProtoCodec.decode(type, from: try ProtoCodec.encode(m)), m)
        }
        XCTAssertEqual(checked, Method.allCases.count * 2)
    }

    func testAbsentFieldsStayAbsentAndZeroIsPresent() throws {
        var t = ProtoMessage(Method.logTurn.requestType)
        t.set("turn_id", "t1")
        var tokens = ProtoMessage(try XCTUnwrap(MessageType.named("TokenCounts")))
        tokens.set("input", Int64(0))
        t.set("tokens", tokens)
        let back = try ProtoCodec.decode(t.type, from: try ProtoCodec.encode(t))
        XCTAssertEqual(back.message("tokens")?.int("input"), 0)
        XCTAssertNil(back.message("tokens")?.int("output"))
        XCTAssertNil(back.string("model"))
        XCTAssertFalse(back.has("replied_at_ms"))
    }

    func testConnectionMessagesMapBothWays() throws {
        let hello = Hello(clientName: "svc", apiKey: "pk_x")
        XCTAssertEqual(Hello(wire: try V1.Hello(decoding: hello.wire.encoded())), hello)
        let meta = ResponseMetadata(message: "bad", violations: [FieldViolation(field: "a.b", reason: "empty")], retryAfterMs: 50)
        XCTAssertEqual(ResponseMetadata(wire: try V1.ResponseMetadata(decoding: meta.wire.encoded())), meta)
        let call = CallMetadata(timeoutMs: 250, traceID: "tr", idempotencyKey: "k")
        XCTAssertEqual(CallMetadata(wire: try V1.CallMetadata(decoding: call.wire.encoded())), call)
    }

    func testMalformedBytesAreATypedError() {
        for bytes: [UInt8] in [[0xFF], [0x0A, 0x05, 0x41], [0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF], [0x0F]] {
            XCTAssertThrowsError(try ProtoCodec.decode(WireTypes.hello, from: bytes)) { error in
                XCTAssertEqual((error as? BridgeError)?.kind, .malformed, "\(bytes)")
            }
        }
    }

    func testInvalidUTF8NamesTheField() {
        // field 1 (client_name), length 2, bytes C3 28: not UTF-8
        XCTAssertThrowsError(try ProtoCodec.decode(WireTypes.hello, from: [0x0A, 0x02, 0xC3, 0x28])) { error in
            let e = error as? BridgeError
            XCTAssertEqual(e?.kind, .invalidText)
            XCTAssertEqual(e?.field, "client_name")
        }
    }

    func testUnknownFieldsAreIgnored() throws {
        // field 99 varint 5, then client_name "a"
        let m = try ProtoCodec.decode(WireTypes.hello, from: [0x98, 0x06, 0x05, 0x0A, 0x01, 0x61])
        XCTAssertEqual(m.string("client_name"), "a")
    }

    func testValuesThatDoNotFitAreErrorsNotTraps() {
        var m = ProtoMessage(WireTypes.welcome)
        m["max_frame_size"] = .int(-1)
        XCTAssertThrowsError(try ProtoCodec.encode(m)) { XCTAssertEqual(($0 as? BridgeError)?.kind, .typeMismatch) }
        m = ProtoMessage(WireTypes.welcome)
        m["server_version"] = .int(3)
        XCTAssertThrowsError(try ProtoCodec.encode(m))
        m = ProtoMessage(WireTypes.welcome)
        m.set("server_version", "a\u{0}b")
        XCTAssertThrowsError(try ProtoCodec.encode(m))
        var r = ProtoMessage(WireTypes.responseMetadata)
        r.set("violations", messages: [ProtoMessage(WireTypes.hello)])
        XCTAssertThrowsError(try ProtoCodec.encode(r))
    }

    func testEncodeIntoByteBufferMatchesArrayEncoding() throws {
        let m = filled(Method.logTurn.requestType)
        var buffer = ByteBuffer()
        try ProtoCodec.encode(m, into: &buffer)
        XCTAssertEqual(Array(buffer.readableBytesView), try ProtoCodec.encode(m))
        XCTAssertEqual(try ProtoCodec.decode(m.type, from: buffer), m)
    }
}
