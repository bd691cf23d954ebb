import NIOCore
@testable import ParleyWire
import XCTest

/// protobuf-c recurses without a bound, so the bridge refuses over-deep nesting before it
/// unpacks anything, naming the path of fields down to where the limit was passed.
final class WireNestingTests: XCTestCase {
    /// Four levels: LogTurnsRequest > Turn > ProviderUsage > OpenAIUsage.
    private func logTurns() throws -> [UInt8] {
        var openai = V1.OpenAIUsage()
        openai.promptTokens = 10
        var usage = V1.ProviderUsage()
        usage.openai = openai
        var turn = V1.Turn()
        turn.turnID = "t-1"
        turn.usage = usage
        var request = V1.LogTurnsRequest()
        request.turns = [turn]
        return try request.encodedBytes()
    }

    func testNestingPastTheLimitIsRefusedWithThePathToIt() throws {
        let bytes = try logTurns()
        XCTAssertNoThrow(try bytes.withUnsafeBytes { try WireNesting.check(V1.LogTurnsRequest.self, $0, maxDepth: 4) })
        XCTAssertThrowsError(try bytes.withUnsafeBytes { try WireNesting.check(V1.LogTurnsRequest.self, $0, maxDepth: 2) }) { error in
            guard let e = error as? BridgeError else { return XCTFail("\(error)") }
            XCTAssertEqual(e.kind, .tooDeep)
            XCTAssertEqual(e.field, "turns.usage")
            XCTAssertTrue(e.message.contains("deeper than 2 levels"), e.message)
        }
    }

    func testDecodingChecksWithTheDefaultLimit() throws {
        // Decoding goes through the check with the default limit of 32.
        let decoded = try V1.LogTurnsRequest(decoding: try logTurns())
        XCTAssertEqual(decoded.turns.first?.usage?.openai?.promptTokens, 10)
    }

    func testDeepBytesInsideAStringAreNotMistakenForNesting() throws {
        // 60 levels of valid-looking nesting, carried as the text of a string field:
        // protobuf-c never unpacks it, so neither does the walk.
        var inner: [UInt8] = Array("x".utf8)
        for _ in 0..<60 { inner = [0x0A, UInt8(inner.count)] + inner }
        var turn = V1.Turn()
        turn.turnID = String(decoding: inner, as: UTF8.self)
        let bytes = try turn.encodedBytes()
        XCTAssertEqual(try V1.Turn(decoding: bytes).turnID, turn.turnID)
        XCTAssertNoThrow(try bytes.withUnsafeBytes { try WireNesting.check(V1.Turn.self, $0, maxDepth: 1) })
    }

    func testTruncatedBytesEndTheWalkAndProtobufCRefusesThem() throws {
        let bytes = try logTurns()
        let cut = Array(bytes.prefix(bytes.count - 3))
        XCTAssertNoThrow(try cut.withUnsafeBytes { try WireNesting.check(V1.LogTurnsRequest.self, $0, maxDepth: 32) })
        XCTAssertThrowsError(try V1.LogTurnsRequest(decoding: cut)) { error in
            XCTAssertEqual((error as? BridgeError)?.kind, .malformed)
        }
    }
}
