import XCTest
@testable import ParleyCore
import ParleyTestSupport

final class CellRollupTests: XCTestCase {
    func testBucketBoundsCoverEveryValue() {
        var expectedIndex: Int32 = 0
        var value: Millis = 0
        while value < 100_000 {
            let index = LatencyHistogram.bucketIndex(for: value)
            XCTAssertTrue(LatencyHistogram.bounds(of: index).contains(value), "\(value)")
            XCTAssertTrue(index == expectedIndex || index == expectedIndex + 1)
            expectedIndex = index
            value += 1
        }
        let top = LatencyHistogram.bucketIndex(for: .max)
        XCTAssertEqual(LatencyHistogram.bounds(of: top).upperBound, .max)
    }

    func testPercentilesWithinTwoPercent() {
        var rng = SeededGenerator.announced("testPercentilesWithinTwoPercent")
        for _ in 0..<20 {
            var histogram = LatencyHistogram()
            var values: [Millis] = []
            let scale = Double.random(in: 1...6, using: &rng)
            for _ in 0..<Int.random(in: 1...3_000, using: &rng) {
                let value = Millis(pow(10, Double.random(in: 0...scale, using: &rng)))
                values.append(value)
                histogram.record(value)
            }
            values.sort()
            for q in [0.5, 0.9, 0.99] {
                let exact = values[max(0, Int((q * Double(values.count)).rounded(.up)) - 1)]
                let estimate = histogram.percentile(q) ?? -1
                XCTAssertLessThanOrEqual(abs(Double(estimate - exact)), max(1, Double(exact) * 0.02), "q=\(q) exact=\(exact) estimate=\(estimate)")
            }
        }
    }

    func testMergeIsAdditionAndOrderFree() {
        var rng = SeededGenerator.announced("testMergeIsAdditionAndOrderFree")
        let turns: [Turn] = (0..<200).map { index in
            Turn(turnId: "t\(index)", model: "m", tokens: TokenCounts(input: .random(in: 0...100, using: &rng), output: 5, cachedRead: 1, cacheWrite: 2, total: 7),
                 repliedAt: .random(in: 0...3_600_000, using: &rng), responseTime: Bool.random(using: &rng) ? .random(in: 0...90_000, using: &rng) : nil)
        }
        var whole = CellRollup()
        for turn in turns { whole.add(turn) }
        var left = CellRollup()
        var right = CellRollup()
        for (index, turn) in turns.shuffled(using: &rng).enumerated() {
            if index % 3 == 0 { left.add(turn) } else { right.add(turn) }
        }
        var merged = right
        merged.merge(left)
        XCTAssertEqual(merged, whole)
        XCTAssertEqual(whole.count, 200)
        XCTAssertEqual(whole.tokens.total, 1_400)
        XCTAssertEqual(whole.latency.totalCount, whole.responseTimeCount)
        XCTAssertEqual(whole.lastActivity, turns.compactMap(\.repliedAt).max())
    }

    func testEncodingRoundTripAndDamage() throws {
        var rollup = CellRollup()
        for latency in [0, 5, 63, 64, 1_000, 1_001, 250_000] as [Millis] {
            rollup.add(Turn(tokens: TokenCounts(input: 3, output: 4, total: 7), repliedAt: latency, responseTime: latency))
        }
        let bytes = RecordCoder.encode(rollup)
        XCTAssertEqual(try RecordCoder.decode(CellRollup.self, from: bytes), rollup)
        for length in 0..<bytes.count {
            XCTAssertThrowsError(try RecordCoder.decode(CellRollup.self, from: Array(bytes[0..<length])))
        }
        var rng = SeededGenerator.announced("testEncodingRoundTripAndDamage")
        for _ in 0..<500 {
            var garbled = bytes
            garbled[Int.random(in: 0..<garbled.count, using: &rng)] = .random(in: 0...255, using: &rng)
            _ = try? RecordCoder.decode(CellRollup.self, from: garbled)
        }
    }

    func testEmptyHistogram() {
        XCTAssertNil(LatencyHistogram().percentile(0.5))
    }
}
