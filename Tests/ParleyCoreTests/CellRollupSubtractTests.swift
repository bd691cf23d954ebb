import XCTest
@testable import ParleyCore
import ParleyTestSupport

final class CellRollupSubtractTests: XCTestCase {
    func testSubtractUndoesAddExceptLastActivity() {
        var rng = SeededGenerator.announced("testSubtractUndoesAddExceptLastActivity")
        var kept = CellRollup()
        var all = CellRollup()
        var removed: [Turn] = []
        for index in 0..<200 {
            let turn = Turn(turnId: "t\(index)",
                            tokens: TokenCounts(input: Int64.random(in: 0...900, using: &rng), output: Int64.random(in: 0...900, using: &rng),
                                                cachedRead: Int64.random(in: 0...50, using: &rng), total: Int64.random(in: 0...2000, using: &rng)),
                            repliedAt: Millis.random(in: 0...3_600_000, using: &rng),
                            responseTime: Bool.random(using: &rng) ? Millis.random(in: 0...100_000, using: &rng) : nil)
            all.add(turn)
            if Bool.random(using: &rng) { removed.append(turn) } else { kept.add(turn) }
        }
        for turn in removed.shuffled(using: &rng) { all.subtract(turn) }
        XCTAssertEqual(all.count, kept.count)
        XCTAssertEqual(all.tokens, kept.tokens)
        XCTAssertEqual(all.responseTimeSum, kept.responseTimeSum)
        XCTAssertEqual(all.responseTimeCount, kept.responseTimeCount)
        XCTAssertEqual(all.latency, kept.latency)
        XCTAssertGreaterThanOrEqual(all.lastActivity ?? .min, kept.lastActivity ?? .min)
    }

    func testRemovingEveryLatencyEmptiesTheHistogram() {
        var histogram = LatencyHistogram()
        let values: [Millis] = [0, 5, 63, 64, 1_000, 1_001, 250_000]
        for value in values { histogram.record(value) }
        for value in values.reversed() { histogram.remove(value) }
        XCTAssertTrue(histogram.isEmpty)
        histogram.remove(7)
        XCTAssertTrue(histogram.isEmpty)
    }
}
