import XCTest
@testable import ParleyTokenizer

/// Merging with a small hand-made vocabulary, so the rules are tested without cl100k.
final class BytePairEncodingTests: XCTestCase {
    /// The 256 bytes (ranks 0-255) and then `merges` in rank order.
    static func vocabulary(_ merges: [String]) throws -> Tokenizer {
        var lines = (0...255).map { "\(Data([UInt8($0)]).base64EncodedString()) \($0)" }
        for (offset, merge) in merges.enumerated() {
            lines.append("\(Data(merge.utf8).base64EncodedString()) \(256 + offset)")
        }
        return Tokenizer(vocabulary: try Vocabulary.parse(Array(lines.joined(separator: "\n").utf8), path: "test"))
    }

    func testLowestRankMergesFirst() throws {
        // "bc" (256) before "ab" (257): "abc" becomes a + bc, never ab + c.
        var encoder = TokenEncoder(try Self.vocabulary(["bc", "ab"]))
        XCTAssertEqual(encoder.encode("abc"), [97, 256])
        XCTAssertEqual(encoder.encode("abd"), [257, 100])
    }

    func testMergesChainAndEqualRanksGoLeftFirst() throws {
        let tokenizer = try Self.vocabulary(["aa", "aaaa"])
        var encoder = TokenEncoder(tokenizer)
        // aaaaa: aa|aa|a (leftmost pairs first), then aaaa|a.
        XCTAssertEqual(encoder.encode("aaaaa"), [257, 97])
        XCTAssertEqual(encoder.encode("aaa"), [256, 97])
        // Twice, so the second answer comes from the piece cache.
        XCTAssertEqual(encoder.encode("aaa aaa aaa"), [256, 97, 32, 256, 97, 32, 256, 97])
        XCTAssertEqual(tokenizer.decode(encoder.encode("aaaaa")), Array("aaaaa".utf8))
    }

    func testInvalidUTF8IsReplacedNotTrapped() throws {
        var encoder = TokenEncoder(try Self.vocabulary([]))
        // 0xFF and a truncated 3-byte sequence each become U+FFFD (EF BF BD).
        XCTAssertEqual(encoder.encode(utf8: [0x61, 0xFF, 0xE2, 0x82]), [97, 0xEF, 0xBF, 0xBD, 0xEF, 0xBF, 0xBD])
        XCTAssertEqual(encoder.count(""), 0)
    }
}
