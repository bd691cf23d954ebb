import XCTest
@testable import ParleyCore
import ParleyTestSupport

final class KeyEncodingTests: XCTestCase {
    struct Tuple {
        var text: [UInt8]
        var signed: Int64
        var unsigned: UInt32
        var tail: [UInt8]

        var key: [UInt8] {
            var encoder = KeyEncoder()
            encoder.append(bytes: text)
            encoder.append(signed)
            encoder.append(unsigned)
            encoder.append(bytes: tail)
            return encoder.bytes
        }

        static func < (a: Tuple, b: Tuple) -> Bool {
            if a.text != b.text { return a.text.lexicographicallyPrecedes(b.text) }
            if a.signed != b.signed { return a.signed < b.signed }
            if a.unsigned != b.unsigned { return a.unsigned < b.unsigned }
            return a.tail.lexicographicallyPrecedes(b.tail)
        }
    }

    func randomBytes(_ rng: inout SeededGenerator) -> [UInt8] {
        // Few distinct byte values, heavy on 0x00, 0x01 and 0xFF, so escapes collide often.
        let palette: [UInt8] = [0x00, 0x01, 0x02, 0x61, 0xFE, 0xFF]
        return (0..<Int.random(in: 0...4, using: &rng)).map { _ in palette[Int.random(in: 0..<palette.count, using: &rng)] }
    }

    func randomSigned(_ rng: inout SeededGenerator) -> Int64 {
        let edges: [Int64] = [.min, -1, 0, 1, .max]
        return Bool.random(using: &rng) ? edges[Int.random(in: 0..<edges.count, using: &rng)] : Int64.random(in: -3...3, using: &rng)
    }

    func testByteOrderEqualsTupleOrder() {
        var rng = SeededGenerator.announced("testByteOrderEqualsTupleOrder")
        for _ in 0..<20_000 {
            let a = Tuple(text: randomBytes(&rng), signed: randomSigned(&rng), unsigned: UInt32.random(in: 0...2, using: &rng), tail: randomBytes(&rng))
            let b = Tuple(text: randomBytes(&rng), signed: randomSigned(&rng), unsigned: UInt32.random(in: 0...2, using: &rng), tail: randomBytes(&rng))
            XCTAssertEqual(a.key.lexicographicallyPrecedes(b.key), a < b, "\(a) vs \(b)")
            XCTAssertEqual(a.key == b.key, !(a < b) && !(b < a))
        }
    }

    func testRoundTrip() throws {
        var encoder = KeyEncoder()
        encoder.append(UInt8(7))
        encoder.append(UInt16(0xBEEF))
        encoder.append(UInt32(0xDEAD_BEEF))
        encoder.append(UInt64.max)
        encoder.append(Int64.min)
        encoder.append("org\u{0}ü")
        encoder.append(bytes: [0, 0, 1, 0xFF])
        var decoder = KeyDecoder(encoder.bytes)
        XCTAssertEqual(try decoder.readUInt8(), 7)
        XCTAssertEqual(try decoder.readUInt16(), 0xBEEF)
        XCTAssertEqual(try decoder.readUInt32(), 0xDEAD_BEEF)
        XCTAssertEqual(try decoder.readUInt64(), .max)
        XCTAssertEqual(try decoder.readInt64(), .min)
        XCTAssertEqual(try decoder.readString(), "org\u{0}ü")
        XCTAssertEqual(try decoder.readBytes(), [0, 0, 1, 0xFF])
        XCTAssertNoThrow(try decoder.finish())
    }

    func testEscapingLayout() {
        var encoder = KeyEncoder()
        encoder.append(bytes: [0x61, 0x00])
        XCTAssertEqual(encoder.bytes, [0x61, 0x00, 0xFF, 0x00, 0x01])
    }

    func testDamagedKeysAreErrors() {
        var badEscape = KeyDecoder([0x61, 0x00, 0x05])
        XCTAssertThrowsError(try badEscape.readString()) { XCTAssertEqual($0 as? DecodeError, .badKeyEscape(offset: 1, byte: 5)) }
        var unterminated = KeyDecoder([0x61])
        XCTAssertThrowsError(try unterminated.readString())
        var short = KeyDecoder([1, 2, 3])
        XCTAssertThrowsError(try short.readInt64())
        var invalid = KeyDecoder([0xC3, 0x28, 0x00, 0x01])
        XCTAssertThrowsError(try invalid.readString()) { XCTAssertEqual($0 as? DecodeError, .invalidUTF8(offset: 0)) }
        let extra = KeyDecoder([1])
        XCTAssertThrowsError(try extra.finish())
    }

    /// ASCII is decoded without a validation pass; any other text is validated, in keys
    /// and in records alike.
    func testTextOutsideASCIIRoundTripsAndInvalidUTF8IsRefused() throws {
        for text in ["dev-1", "Zürich 🚀", "", "ß"] {
            var encoder = KeyEncoder()
            encoder.append(text)
            var decoder = KeyDecoder(encoder.bytes)
            XCTAssertEqual(try decoder.readString(), text)
            var writer = ByteWriter()
            writer.writeString(text)
            var reader = ByteReader(writer.bytes)
            XCTAssertEqual(try reader.readString(), text)
        }
        var writer = ByteWriter()
        writer.writeVarint(2)
        writer.append([0xC3, 0x28][...])
        var reader = ByteReader(writer.bytes)
        XCTAssertThrowsError(try reader.readString()) { XCTAssertEqual($0 as? DecodeError, .invalidUTF8(offset: 0)) }
    }

    func testPrefixEnd() {
        XCTAssertEqual(KeyEncoder.prefixEnd([1, 2]), [1, 3])
        XCTAssertEqual(KeyEncoder.prefixEnd([1, 0xFF]), [2])
        XCTAssertNil(KeyEncoder.prefixEnd([0xFF, 0xFF]))
    }
}
