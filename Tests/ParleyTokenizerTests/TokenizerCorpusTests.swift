import Foundation
import XCTest
@testable import ParleyTokenizer

/// Compares with Python tiktoken's cl100k_base ids on the corpus Tools/tokens-corpus.py
/// writes (Tools/test installs the vocabulary and writes the corpus first).
final class TokenizerCorpusTests: XCTestCase {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static var vocabularyPath: String {
        ProcessInfo.processInfo.environment["PARLEY_VOCAB"] ?? VocabularyLocation.defaultPath()
    }

    static var corpusPath: String {
        ProcessInfo.processInfo.environment["PARLEY_TOKEN_CORPUS"]
            ?? packageRoot.appendingPathComponent(".build/tokens-corpus.tsv").path
    }

    func testIdsEqualTiktokenOnTheCorpus() throws {
        guard FileManager.default.fileExists(atPath: Self.vocabularyPath) else {
            throw XCTSkip("no vocabulary at \(Self.vocabularyPath): run Tools/install-vocab to compare with tiktoken")
        }
        let tokenizer = try Tokenizer(contentsOf: Self.vocabularyPath)
        guard let corpus = FileManager.default.contents(atPath: Self.corpusPath) else {
            throw XCTSkip("no corpus at \(Self.corpusPath): write it with Tools/tokens-corpus.py")
        }
        var encoder = TokenEncoder(tokenizer)
        var compared = 0
        var mismatches: [String] = []
        for line in String(decoding: corpus, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: true) {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            XCTAssertEqual(fields.count, 3, "corpus line \(compared + 1)")
            guard fields.count == 3, let bytes = Self.hexBytes(fields[1]) else { continue }
            let expected = fields[2].split(separator: " ").compactMap { UInt32($0) }
            let actual = fields[0] == "b" ? encoder.encode(utf8: bytes) : encoder.encode(String(decoding: bytes, as: UTF8.self))
            if actual != expected, mismatches.count < 5 {
                mismatches.append("\(fields[0]) \(fields[1]): expected \(expected), got \(actual)")
            }
            if fields[0] == "t" {
                XCTAssertEqual(tokenizer.decode(actual), bytes, "ids decode back to the text")
            }
            compared += 1
        }
        XCTAssertGreaterThanOrEqual(compared, 10_000)
        XCTAssertEqual(mismatches, [])
    }

    static func hexBytes(_ hex: Substring) -> [UInt8]? {
        let digits = Array(hex.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        var index = 0
        while index < digits.count {
            guard let high = hexValue(digits[index]), let low = hexValue(digits[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    private static func hexValue(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return digit - UInt8(ascii: "a") + 10
        default: return nil
        }
    }
}
