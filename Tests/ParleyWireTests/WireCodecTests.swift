import NIOCore
import XCTest
@testable import ParleyWire

/// The typed codec's edges: presence, unknown fields, malformed bytes, the two encoders,
/// and the connection messages' domain mapping.
final class WireCodecTests: XCTestCase {
    func testAbsentFieldsStayAbsentAndZeroIsPresent() throws {
        let t = V1.Turn(turnID: "t1", tokens: V1.TokenCounts(input: 0))
        let back = try V1.Turn(decoding: try t.encodedBytes())
        XCTAssertEqual(back.tokens?.input, 0)
        XCTAssertNil(back.tokens?.output)
        XCTAssertNil(back.model)
        XCTAssertNil(back.repliedAtMs)
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
            XCTAssertThrowsError(try V1.Hello(decoding: bytes)) { error in
                XCTAssertEqual((error as? BridgeError)?.kind, .malformed, "\(bytes)")
            }
        }
    }

    func testUnknownFieldsAreIgnored() throws {
        // field 99 varint 5, then client_name "a"
        XCTAssertEqual(try V1.Hello(decoding: [0x98, 0x06, 0x05, 0x0A, 0x01, 0x61]).clientName, "a")
    }

    func testEncodeIntoByteBufferMatchesArrayEncoding() throws {
        for sample in MessageSamples.full {
            var buffer = ByteBuffer(bytes: [7])
            try sample.encode(into: &buffer)
            XCTAssertEqual(Array(buffer.readableBytesView.dropFirst()), try sample.encodedBytes(), type(of: sample).protoName)
        }
    }
}
