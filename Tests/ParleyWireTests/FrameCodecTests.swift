import NIOCore
import XCTest
@testable import ParleyWire

final class FrameCodecTests: XCTestCase {
    private func buffer(_ s: String) -> ByteBuffer { ByteBuffer(string: s) }

    private func sampleFrames() -> [Frame] {
        [
            Frame(type: .hello, body: buffer("hello-body")),
            Frame(type: .hello, code: 16, meta: buffer("m")),
            Frame(type: .request, callID: 7, code: 2, meta: buffer("meta"), body: buffer("body")),
            Frame(type: .response, callID: 7, code: 0, flags: .more, body: buffer("part")),
            Frame(type: .response, callID: 0xFFFF_FFFF, code: 3, meta: buffer("bad field")),
            Frame(type: .cancel, callID: 9),
            Frame(type: .ping, body: buffer("12345678")),
            Frame(type: .pong, body: buffer("12345678")),
            Frame(type: .goAway, callID: 42, code: 14, meta: buffer("bye")),
        ]
    }

    func testEveryFrameTypeRoundTrips() throws {
        XCTAssertEqual(Set(sampleFrames().map(\.type)), Set(FrameType.allCases))
        for frame in sampleFrames() {
            var wire = ByteBuffer()
            frame.write(to: &wire)
            XCTAssertEqual(wire.readableBytes, frame.encodedSize)
            let decoded = try FrameDecoder.nextFrame(from: &wire, maxFrameSize: Frame.defaultMaxFrameSize)
            XCTAssertEqual(decoded, frame)
            XCTAssertEqual(wire.readableBytes, 0)
        }
    }

    func testHeaderLayoutIsBigEndianAsSpecified() {
        var wire = ByteBuffer()
        Frame(type: .request, callID: 0x0102_0304, code: 0x0506, flags: .more, meta: buffer("ab"), body: buffer("xyz")).write(to: &wire)
        XCTAssertEqual(Array(wire.readableBytesView), [
            0x50, 0x4C, 1, 2, 1, 2, 3, 4, 5, 6, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3,
            UInt8(ascii: "a"), UInt8(ascii: "b"), UInt8(ascii: "x"), UInt8(ascii: "y"), UInt8(ascii: "z"),
        ])
    }

    /// The stream of all sample frames, cut at every possible pair of points, decodes to
    /// the same frames.
    func testDecoderHandlesEveryByteSplit() throws {
        var stream = ByteBuffer()
        for f in sampleFrames() { f.write(to: &stream) }
        let bytes = Array(stream.readableBytesView)
        for cut1 in 0...bytes.count {
            for cut2 in stride(from: cut1, through: bytes.count, by: 7) {
                var decoded: [Frame] = []
                var pending = ByteBuffer()
                for chunk in [bytes[..<cut1], bytes[cut1..<cut2], bytes[cut2...]] {
                    pending.writeBytes(chunk)
                    while let f = try FrameDecoder.nextFrame(from: &pending, maxFrameSize: 1 << 20) {
                        decoded.append(f)
                    }
                    pending.discardReadBytes()
                }
                XCTAssertEqual(decoded, sampleFrames(), "cuts at \(cut1), \(cut2)")
            }
        }
    }

    private func header(magic: (UInt8, UInt8) = (0x50, 0x4C), version: UInt8 = 1, type: UInt8 = 2,
                        flags: UInt16 = 0, meta: UInt32 = 0, body: UInt32 = 0) -> ByteBuffer {
        var b = ByteBuffer()
        b.writeInteger(magic.0); b.writeInteger(magic.1); b.writeInteger(version); b.writeInteger(type)
        b.writeInteger(UInt32(1)); b.writeInteger(UInt16(1)); b.writeInteger(flags)
        b.writeInteger(meta); b.writeInteger(body)
        return b
    }

    private func violation(_ b: ByteBuffer, max: Int = 1024) -> ProtocolViolation? {
        var b = b
        do {
            _ = try FrameDecoder.nextFrame(from: &b, maxFrameSize: max)
            return nil
        } catch {
            return error as? ProtocolViolation
        }
    }

    func testViolationsAreDetectedFromTheHeaderAlone() {
        XCTAssertEqual(violation(header(magic: (0x47, 0x45)))?.status, .invalidArgument)
        XCTAssertEqual(violation(header(version: 2))?.status, .invalidArgument)
        XCTAssertEqual(violation(header(type: 0))?.status, .invalidArgument)
        XCTAssertEqual(violation(header(type: 8))?.status, .invalidArgument)
        XCTAssertEqual(violation(header(flags: 2))?.status, .invalidArgument)
        XCTAssertEqual(violation(header(meta: 65_537))?.status, .resourceExhausted)
        XCTAssertEqual(violation(header(meta: 600, body: 600))?.status, .resourceExhausted)
        // A claimed 4 GiB body is refused before any of it arrives.
        XCTAssertEqual(violation(header(body: .max), max: Frame.defaultMaxFrameSize)?.status, .resourceExhausted)
        // Within limits, an incomplete frame just waits for more bytes.
        XCTAssertNil(violation(header(meta: 10, body: 10)))
    }

    func testWrongMagicIsSeenFromTheFirstTwoBytes() {
        var b = ByteBuffer(bytes: [0x47, 0x45])
        XCTAssertThrowsError(try FrameDecoder.nextFrame(from: &b, maxFrameSize: 1024))
    }
}
