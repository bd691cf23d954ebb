import XCTest
@testable import ParleyTokenizer

/// The pre-tokenisation pattern, alternative by alternative (pieces as tiktoken's regex
/// finds them; these need no vocabulary).
final class PieceSplitterTests: XCTestCase {
    func pieces(_ text: String) -> [String] {
        let bytes = Array(text.utf8)
        let splitter = PieceSplitter(bytes)
        var result: [String] = []
        var start = 0
        while start < bytes.count {
            let end = splitter.pieceEnd(from: start)
            XCTAssertGreaterThan(end, start)
            result.append(String(decoding: bytes[start..<end], as: UTF8.self))
            start = end
        }
        return result
    }

    func testContractionsAreCaseInsensitiveAndTakeTheFirstMatch() {
        XCTAssertEqual(pieces("I'm don't we'LL they'Re it'sa"), ["I", "'m", " don", "'t", " we", "'LL", " they", "'Re", " it", "'s", "a"])
    }

    func testOneLeadingNonLetterJoinsALetterRun() {
        XCTAssertEqual(pieces("hello world\tfoo $x"), ["hello", " world", "\tfoo", " $", "x"])
        XCTAssertEqual(pieces("$x x'bar"), ["$x", " x", "'bar"])
        XCTAssertEqual(pieces("日本語 テスト"), ["日本語", " テスト"])
    }

    func testNumbersGoInGroupsOfAtMostThree() {
        XCTAssertEqual(pieces("1234567 x12"), ["123", "456", "7", " x", "12"])
        XCTAssertEqual(pieces("½²③"), ["½²③"])
    }

    func testPunctuationTakesOneSpaceBeforeAndNewlinesAfter() {
        XCTAssertEqual(pieces("a, b!!\n\nc ..."), ["a", ",", " b", "!!\n\n", "c", " ..."])
        XCTAssertEqual(pieces("👍🏽 🇫🇷"), ["👍🏽", " 🇫🇷"])
    }

    func testWhitespaceRules() {
        // \s+(?!\S) leaves the last space to the word after it.
        XCTAssertEqual(pieces("a     b"), ["a", "    ", " b"])
        // \s*[\r\n] ends at the last newline of the run.
        XCTAssertEqual(pieces("a  \n\n  b"), ["a", "  \n\n", " ", " b"])
        // \s++$ takes trailing white space whole.
        XCTAssertEqual(pieces("a \n "), ["a", " \n "])
        // \s: a single white space before a non-letter.
        XCTAssertEqual(pieces("a 1"), ["a", " ", "1"])
        XCTAssertEqual(pieces("a\u{3000}\u{3000}b"), ["a", "\u{3000}", "\u{3000}b"])
    }

    func testMarksAreNotLetters() {
        XCTAssertEqual(pieces("e\u{301}t"), ["e", "\u{301}t"])
    }
}
