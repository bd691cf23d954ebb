import XCTest
@testable import ParleyCore
import ParleyTestSupport

final class TextCompressionTests: XCTestCase {
    /// Random text of the kinds a chat carries: words repeated, non-ASCII, emoji, NULs.
    func randomText(_ rng: inout SeededGenerator, maxWords: Int) -> String {
        let words = ["the", "plan", "premium", "costs", "$49", "héllo", "wörld", "你好", "世界", "🙂", "👩‍👩‍👧", "a\u{0}b",
                     "ok", "\n", "Öffnungszeiten", "e\u{301}", "مرحبا", " "]
        var text = ""
        for _ in 0..<Int.random(in: 0...maxWords, using: &rng) {
            if Int.random(in: 0..<5, using: &rng) == 0 {
                text.append(Character(Unicode.Scalar(UInt8.random(in: 32...126, using: &rng))))
            } else {
                text += words[Int.random(in: 0..<words.count, using: &rng)]
            }
            text += " "
        }
        return text
    }

    func roundTrip(_ text: String, file: StaticString = #filePath, line: UInt = #line) throws {
        var writer = ByteWriter()
        writer.writePackedString(text)
        writer.writeByte(7)
        var reader = ByteReader(writer.bytes)
        XCTAssertEqual(try reader.readPackedString(), text, file: file, line: line)
        XCTAssertEqual(try reader.readByte(), 7, file: file, line: line)
        XCTAssertTrue(reader.isAtEnd, file: file, line: line)
        let utf8 = Array(text.utf8)
        if let packed = TextCompression.compress(utf8) {
            XCTAssertLessThan(packed.count, utf8.count, file: file, line: line)
            XCTAssertEqual(try TextCompression.decompress(packed[...], count: utf8.count, offset: 0), utf8, file: file, line: line)
        }
        // Never longer than plain length-prefixed UTF-8 by more than the flag bit's byte.
        XCTAssertLessThanOrEqual(writer.count - 1, utf8.count + 10, file: file, line: line)
    }

    func testRandomTextsRoundTripExactly() throws {
        var rng = SeededGenerator.announced("testRandomTextsRoundTripExactly")
        for _ in 0..<2_000 { try roundTrip(randomText(&rng, maxWords: 300)) }
    }

    func testEdgeCasesRoundTrip() throws {
        try roundTrip("")
        try roundTrip("a")
        try roundTrip(String(repeating: "a", count: 23))
        try roundTrip(String(repeating: "a", count: 24))
        try roundTrip(String(repeating: "ab", count: 5_000))
        try roundTrip(String(repeating: "你好🙂", count: 1_000))
        var rng = SeededGenerator(seed: 42)
        // Huge: 4 MB of repeated phrases, then 1 MB of incompressible printable noise.
        try roundTrip(String(repeating: randomText(&rng, maxWords: 40), count: 4_000_000 / 200))
        try roundTrip(String((0..<1_000_000).map { _ in Character(Unicode.Scalar(UInt8.random(in: 32...126, using: &rng))) }))
    }

    /// The ingest suite's turn text: repeated sentences pack to a small fraction.
    func testRepeatedSentencesPackSmall() throws {
        let text = String(repeating: "Our premium plan costs $49 a month and we are open from 9am to 6pm, Monday to Friday. ", count: 6)
        let packed = try XCTUnwrap(TextCompression.compress(Array(text.utf8)))
        XCTAssertLessThan(packed.count, text.utf8.count / 4)
    }

    /// Garbled packed streams are errors, never a trap or a wrong length.
    func testGarbledStreamsAreRejectedOrExact() {
        var rng = SeededGenerator.announced("testGarbledStreamsAreRejectedOrExact")
        for _ in 0..<3_000 {
            let text = Array(randomText(&rng, maxWords: 60).utf8)
            guard var packed = TextCompression.compress(text) else { continue }
            for _ in 0..<Int.random(in: 1...3, using: &rng) {
                packed[Int.random(in: 0..<packed.count, using: &rng)] = .random(in: 0...255, using: &rng)
            }
            if Bool.random(using: &rng) { packed.removeLast(Int.random(in: 0..<packed.count, using: &rng)) }
            do {
                let out = try TextCompression.decompress(packed[...], count: text.count, offset: 0)
                XCTAssertEqual(out.count, text.count)
            } catch {
                switch error {
                case .badPackedText, .truncated, .varintTooLong: break
                default: XCTFail("unexpected error \(error)")
                }
            }
        }
    }
}
