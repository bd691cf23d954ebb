import NIOCore
import XCTest
@testable import ParleyWire

/// The generated messages encode and decode through protobuf-c without losing anything.
final class GeneratedMessageTests: XCTestCase {
    func testEveryMessageWithEveryFieldSetRoundTrips() throws {
        XCTAssertEqual(MessageSamples.full.count, MessageSamples.empty.count)
        for sample in MessageSamples.full {
            try assertRoundTrips(sample)
            // Only a message with no fields (Empty) may encode to nothing when "full".
            if !isEmpty(sample) {
                XCTAssertNotEqual(try sample.encodedBytes(), [], "\(type(of: sample).protoName) with every field set encoded to nothing")
            }
        }
    }

    func testEveryMessageWithNoFieldSetRoundTripsToNoBytes() throws {
        for sample in MessageSamples.empty {
            try assertRoundTrips(sample)
            XCTAssertEqual(try sample.encodedBytes(), [], "\(type(of: sample).protoName) with no field set is not empty on the wire")
        }
    }

    func testAnEnumOutOfRangeIsRejectedNamingTheField() {
        // LogTurnResponse.outcome (field 2, varint) = 9: WriteOutcome has 0...2.
        XCTAssertThrowsError(try V1.LogTurnResponse(decoding: [0x10, 0x09])) { error in
            let e = error as? BridgeError
            XCTAssertEqual(e?.kind, .unknownEnumValue)
            XCTAssertEqual(e?.field, "outcome")
            XCTAssertEqual(e?.typeName, "parley.v1.LogTurnResponse")
        }
        // A repeated enum: UsageRequest.group_by (field 5) = [1, 42].
        XCTAssertThrowsError(try V1.UsageRequest(decoding: [0x28, 0x01, 0x28, 0x2A])) { error in
            XCTAssertEqual((error as? BridgeError)?.field, "group_by")
        }
        XCTAssertEqual(try V1.UsageRequest(decoding: [0x28, 0x01, 0x28, 0x06]).groupBy, [.device, .sessionOutcome])
    }

    func testBytesThatAreNotAMessageAreMalformed() {
        XCTAssertThrowsError(try V1.Turn(decoding: [0x0A, 0x05, 0x61])) { error in
            XCTAssertEqual((error as? BridgeError)?.kind, .malformed)
        }
    }

    func testTextThatIsNotUTF8IsRejectedNamingTheField() {
        XCTAssertThrowsError(try V1.Turn(decoding: [0x0A, 0x02, 0xC3, 0x28])) { error in
            XCTAssertEqual((error as? BridgeError)?.kind, .invalidText)
            XCTAssertEqual((error as? BridgeError)?.field, "turn_id")
        }
    }

    func testTextWithANulCharacterDoesNotEncode() {
        XCTAssertThrowsError(try V1.Turn(turnID: "a\u{0}b").encodedBytes()) { error in
            XCTAssertEqual((error as? BridgeError)?.field, "turn_id")
        }
    }

    func testLargeMessagesUseMoreThanOneArenaBlock() throws {
        let turns = (0..<300).map { V1.Turn(turnID: "t\($0)", userMessage: String(repeating: "x", count: $0 * 7)) }
        let batch = V1.TurnBatch(turns: turns)
        XCTAssertEqual(try V1.TurnBatch(decoding: batch.encodedBytes()), batch)
    }

    private func isEmpty<M: WireMessage>(_ message: M) -> Bool { message == M() }

    private func assertRoundTrips<M: WireMessage>(_ message: M, file: StaticString = #filePath, line: UInt = #line) throws {
        var buffer = ByteBuffer()
        try message.encode(into: &buffer)
        XCTAssertEqual(try M(decoding: buffer), message, M.protoName, file: file, line: line)
    }
}

extension GeneratedMessageTests {
    /// The generated field walk (JSON and CSV output) names the fields as protoc-c does,
    /// in the same order, and lists exactly the fields that are set.
    func testTheFieldWalkAgreesWithTheDescriptors() throws {
        let described = DescriptorCatalog.fieldNames
        for sample in MessageSamples.full {
            let name = type(of: sample).protoName
            let schema = type(of: sample).fieldSchema.map(\.name)
            XCTAssertEqual(schema, described[name], name)
            XCTAssertEqual(sample.presentFields.map(\.field.name), schema, "\(name) with every field set")
        }
        for sample in MessageSamples.empty {
            XCTAssertTrue(sample.presentFields.isEmpty, type(of: sample).protoName)
        }
    }
}
