import XCTest
@testable import ParleyTokenizer
import ParleyTestSupport

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

    func testLongPiecesMergeAsTheLinearScanDoes() throws {
        // Every string of up to 3 letters over {a, b, c} is a token, in a shuffled order,
        // so joins compete and ties between equal pairs occur all the time.
        var generator = SeededGenerator(seed: 16)
        var merges: [String] = []
        for length in 2...3 {
            var words = [""]
            for _ in 0..<length { words = words.flatMap { word in ["a", "b", "c"].map { word + $0 } } }
            merges += words
        }
        merges += ["aaaa", "abab", "cccc", "aaaaaaaa", "abcabc"]
        merges.shuffle(using: &generator)
        let tokenizer = try Self.vocabulary(merges)
        var linear = TokenEncoder(tokenizer, longPieceBytes: .max)
        var heap = TokenEncoder(tokenizer, longPieceBytes: 1)
        for trial in 0..<200 {
            let length = 2 + Int(generator.next() % 600)
            let alphabet = trial % 3 == 0 ? ["a"] : trial % 3 == 1 ? ["a", "b"] : ["a", "b", "c"]
            let word = String((0..<length).map { _ in Character(alphabet[Int(generator.next() % UInt64(alphabet.count))]) })
            let expected = linear.encode(word)
            XCTAssertEqual(heap.encode(word), expected, word)
            XCTAssertEqual(tokenizer.decode(expected), Array(word.utf8))
        }
    }

    func testInvalidUTF8IsReplacedNotTrapped() throws {
        var encoder = TokenEncoder(try Self.vocabulary([]))
        // 0xFF and a truncated 3-byte sequence each become U+FFFD (EF BF BD).
        XCTAssertEqual(encoder.encode(utf8: [0x61, 0xFF, 0xE2, 0x82]), [97, 0xEF, 0xBF, 0xBD, 0xEF, 0xBF, 0xBD])
        XCTAssertEqual(encoder.count(""), 0)
    }
}

