import ParleyCore
import XCTest
import ParleyTestSupport

final class SessionSpendTests: XCTestCase {
    private func turn(_ id: String, at time: Millis, persona: String = "p", model: String = "gpt-4o", input: Int64 = 10) -> Turn {
        Turn(turnId: id, organizationId: "o", sessionId: "s", personaId: persona, model: model, userMessage: "q", aiResponse: "a",
             tokens: TokenCounts(input: input, output: 3, cachedRead: 2, cacheWrite: 1, total: input + 6, reasoning: 1), repliedAt: time)
    }

    func testEntriesStayInTimeOrderAndARepairedTurnReplacesItsEntry() {
        var spend = SessionSpend(of: [turn("b", at: 20), turn("a", at: 30), turn("c", at: 20)])
        XCTAssertEqual(spend.entries.map(\.turnId), ["b", "c", "a"], "time, then id")
        spend.record(turn("b", at: 20, model: "gemini-2.5-flash", input: 99))
        XCTAssertEqual(spend.entries.map(\.turnId), ["b", "c", "a"])
        XCTAssertEqual(spend.entries[0].model, "gemini-2.5-flash")
        XCTAssertEqual(spend.entries[0].tokens, TokenCounts(input: 99, output: 3, cachedRead: 2, cacheWrite: 1, total: 105), "reasoning is not kept")
        XCTAssertEqual(spend.turns(upTo: 20), 2)
        XCTAssertEqual(spend.turns(upTo: 19), 0)
        XCTAssertEqual(spend.turns(upTo: .max), 3)
    }

    func testRoundTripAndDamage() throws {
        var rng = SeededGenerator.announced("SessionSpendTests.testRoundTripAndDamage")
        for _ in 0..<50 {
            let turns = (0..<Int.random(in: 0...9, using: &rng)).map { index in
                turn("t\(index)", at: Millis.random(in: 0...2_000_000_000_000, using: &rng), persona: ["", "p1", "p2"][index % 3],
                     input: Int64.random(in: 0...1_000_000, using: &rng))
            }
            let spend = SessionSpend(of: turns)
            let bytes = RecordCoder.encode(spend)
            XCTAssertEqual(try RecordCoder.decode(SessionSpend.self, from: bytes), spend)
            if bytes.count > 1 {
                XCTAssertThrowsError(try RecordCoder.decode(SessionSpend.self, from: Array(bytes.dropLast())), "a cut record is damage")
            }
            XCTAssertThrowsError(try RecordCoder.decode(SessionSpend.self, from: bytes + [0]), "trailing bytes are damage")
        }
        // A huge entry count in a short record fails instead of allocating or trapping.
        XCTAssertThrowsError(try RecordCoder.decode(SessionSpend.self, from: [SessionSpend.recordVersion, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F]))
    }
}
