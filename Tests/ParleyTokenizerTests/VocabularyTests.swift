import Foundation
import ParleyCore
import XCTest
@testable import ParleyTokenizer

final class VocabularyTests: XCTestCase {
    static let bytes = (0...255).map { "\(Data([UInt8($0)]).base64EncodedString()) \($0)" }

    func parse(_ lines: [String]) -> VocabularyError? {
        do {
            _ = try Vocabulary.parse(Array(lines.joined(separator: "\n").utf8), path: "v.tiktoken")
            return nil
        } catch {
            return error
        }
    }

    func testAWellFormedFileLoads() throws {
        let vocabulary = try Vocabulary.parse(Array((Self.bytes + ["YWI= 256", ""]).joined(separator: "\r\n").utf8), path: "v")
        XCTAssertEqual(vocabulary.count, 257)
        XCTAssertEqual(vocabulary.bytes(of: 256), Array("ab".utf8))
        XCTAssertNil(vocabulary.bytes(of: 257))
    }

    func testMalformedFilesAreTypedErrors() {
        XCTAssertEqual(parse(Self.bytes + ["YWI="]), .malformedLine(path: "v.tiktoken", line: 257, reason: "no space between token and rank"))
        XCTAssertEqual(parse(Self.bytes + ["Y!I= 256"]), .malformedLine(path: "v.tiktoken", line: 257, reason: "the token is not valid base64"))
        XCTAssertEqual(parse(Self.bytes + ["YWI= x"]), .malformedLine(path: "v.tiktoken", line: 257, reason: "the rank is not a decimal number below 2^31"))
        XCTAssertEqual(parse(Self.bytes + ["YWI= 3"]), .malformedLine(path: "v.tiktoken", line: 257, reason: "rank 3 is given twice"))
        XCTAssertEqual(parse(Self.bytes + ["YWI= 257"]), .incomplete(path: "v.tiktoken", reason: "no token has rank 256; ranks must be 0..<count"))
        XCTAssertEqual(parse(Self.bytes + ["YQ== 256"]), .incomplete(path: "v.tiktoken", reason: "the token of rank 256 appears twice"))
        XCTAssertEqual(parse(Array(Self.bytes.dropLast())), .incomplete(path: "v.tiktoken", reason: "byte 0xff is not a token, so some text could not be encoded"))
        XCTAssertEqual(parse([]), .incomplete(path: "v.tiktoken", reason: "the file has no tokens"))
    }

    func testMissingFileAndDirectory() {
        let missing = NSTemporaryDirectory() + "no-such-vocab-\(UUID().uuidString).tiktoken"
        XCTAssertThrowsError(try Vocabulary.load(contentsOf: missing)) { error in
            XCTAssertEqual(error as? VocabularyError, .notFound(path: missing))
            XCTAssertTrue("\(error)".contains("Tools/install-vocab"))
        }
        XCTAssertThrowsError(try Vocabulary.load(contentsOf: NSTemporaryDirectory())) { error in
            XCTAssertEqual(error as? VocabularyError, .unreadable(path: NSTemporaryDirectory(), reason: "it is a directory"))
        }
    }

    func testWithoutAVocabularyTheCounterFallsBackToTheEstimate() {
        let missing = NSTemporaryDirectory() + "no-such-vocab-\(UUID().uuidString).tiktoken"
        var counter = TextTokenCounter(vocabularyAt: missing)
        XCTAssertEqual(counter.method, .estimated(because: .notFound(path: missing)))
        let text = "Hello, how much does this cost? 你好"
        XCTAssertEqual(counter.count(text), TokenEstimator.estimate(text))
        XCTAssertEqual(counter.count(text), 2 + (32 + 3) / 4)
    }

    func testWithAVocabularyTheCounterCounts() throws {
        let path = NSTemporaryDirectory() + "vocab-\(UUID().uuidString).tiktoken"
        try (Self.bytes + ["IGE= 256"]).joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        var counter = TextTokenCounter(vocabularyAt: path)
        XCTAssertEqual(counter.method, .counted)
        // " a" is one token, "b" one, " a" again.
        XCTAssertEqual(counter.count(" ab a"), 3)
    }

    func testDefaultPathFollowsXDGCacheHome() {
        XCTAssertEqual(VocabularyLocation.defaultPath(environment: ["XDG_CACHE_HOME": "/c"]), "/c/parley/cl100k_base.tiktoken")
    }
}
