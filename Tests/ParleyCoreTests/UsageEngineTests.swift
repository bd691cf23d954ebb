import XCTest
@testable import ParleyCore
import ParleyTestSupport

final class UsageEngineTests: XCTestCase {
    let hour = TimeUnits.millisPerHour
    /// 2026-11-01T00:00Z.
    let base: Millis = 1_793_491_200_000

    func rollup(count: Int64, input: Int64, output: Int64, latencies: [Millis] = [], last: Millis? = nil) -> CellRollup {
        var rollup = CellRollup(count: count, tokens: TokenCounts(input: input, output: output, total: input + output), lastActivity: last)
        for latency in latencies {
            rollup.responseTimeSum += latency
            rollup.responseTimeCount += 1
            rollup.latency.record(latency)
        }
        return rollup
    }

    func testCostByModelWithSeedPrices() throws {
        let cells = [
            UsageCell(start: base, model: "gpt-4o", rollup: rollup(count: 2, input: 1_000_000, output: 100_000)),
            UsageCell(start: base + hour, model: "gpt-4o-mini", rollup: rollup(count: 1, input: 0, output: 1_000_000)),
            UsageCell(start: base, model: "claude-3-5-haiku-latest", rollup: rollup(count: 4, input: 2_000_000, output: 2_000_000)),
            UsageCell(start: base, model: "gemini-2.5-flash", rollup: rollup(count: 9, input: 5_000_000, output: 5_000_000)),
            UsageCell(start: base, model: "mistral-large", rollup: rollup(count: 1, input: 30, output: 12)),
            UsageCell(start: base, model: "", rollup: rollup(count: 1, input: 1, output: 1)),
        ]
        let query = UsageQuery(window: TimeWindow(since: base, until: base + 24 * hour), groupBy: [.model], orderBy: .cost)
        let result = try UsageEngine.run(query, cells: cells, prices: .seedDefaults)
        XCTAssertEqual(result.rows.map(\.group), [["gpt-4o-mini"], ["gpt-4o"], ["claude-3-5-haiku-latest"], ["mistral-large"], ["(unknown)"], ["gemini-2.5-flash"]])
        XCTAssertEqual(result.rows[0].cost, Cost(priced: Money(nanos: 10_000_000_000)))
        XCTAssertEqual(result.rows[1].cost, Cost(priced: Money(nanos: 3_500_000_000)))
        XCTAssertEqual(result.rows[2].cost, Cost(priced: Money(nanos: 3_000_000_000)))
        XCTAssertEqual(result.rows[3].cost, Cost(priced: .zero, unpricedTokens: 42))
        XCTAssertEqual(result.rows[5].cost, Cost.zero)
        XCTAssertEqual(result.totalCost, Cost(priced: Money(nanos: 16_500_000_000), unpricedTokens: 44))
        XCTAssertEqual(result.rows[1].avgTokens, 550_000)
    }

    func testPriceInForceAtEachHour() throws {
        let prices = PriceTable([
            Price(modelPattern: "m", inputNanosPerMTok: 1_000_000_000),
            Price(modelPattern: "m", inputNanosPerMTok: 2_000_000_000, effectiveFrom: base + hour),
        ])
        let cells = (0..<3).map { UsageCell(start: base + Millis($0) * hour, model: "m", rollup: rollup(count: 1, input: 1_000_000, output: 0)) }
        let result = try UsageEngine.run(UsageQuery(window: TimeWindow(since: base, until: base + 3 * hour)), cells: cells, prices: prices)
        XCTAssertEqual(result.totalCost.priced, Money(nanos: 5_000_000_000))
        XCTAssertEqual(result.rows.count, 1)
        XCTAssertEqual(result.rows[0].bucketStart, base)
    }

    func testLocalDaysInLosAngeles() throws {
        // 2026-11-01 in Los Angeles runs 07:00Z to 08:00Z next day (25 hours).
        let cells = [base + 6 * hour, base + 7 * hour, base + 31 * hour, base + 32 * hour].map {
            UsageCell(start: $0, values: [.device: "d1"], model: "gpt-4o", rollup: rollup(count: 1, input: 10, output: 0, last: $0 + 5))
        }
        let query = UsageQuery(window: TimeWindow(since: base, until: base + 48 * hour), timeZone: "America/Los_Angeles",
                               granularity: .day, groupBy: [.device])
        let result = try UsageEngine.run(query, cells: cells, prices: .seedDefaults)
        XCTAssertEqual(result.rows.map(\.bucketLabel), ["2026-10-31", "2026-11-01", "2026-11-02"])
        XCTAssertEqual(result.rows.map(\.count), [1, 2, 1])
        XCTAssertEqual(result.rows[1].bucketStart, base + 7 * hour)
        XCTAssertEqual(result.rows[1].lastActivity, base + 31 * hour + 5)
        XCTAssertEqual(result.rows[1].group, ["d1"])
    }

    func testFiltersTopAndPercentiles() throws {
        let cells = [
            UsageCell(start: base, values: [.device: "a"], model: "gpt-4o", rollup: rollup(count: 3, input: 1, output: 1, latencies: [100, 200, 300])),
            UsageCell(start: base, values: [.device: "b"], model: "gpt-4o", rollup: rollup(count: 5, input: 1, output: 1, latencies: [1_000])),
            UsageCell(start: base, values: [.device: "c"], model: "gemini", rollup: rollup(count: 9, input: 1, output: 1)),
            UsageCell(start: base + hour, values: [.device: "a"], model: "gpt-4o", rollup: rollup(count: 1, input: 1, output: 1, latencies: [400])),
        ]
        let query = UsageQuery(window: TimeWindow(since: base, until: base + 2 * hour), granularity: .hour, groupBy: [.device],
                               filters: [.model: ["gpt-4o"]], orderBy: .count, ascending: false, top: 1)
        let result = try UsageEngine.run(query, cells: cells, prices: .seedDefaults)
        XCTAssertEqual(result.rows.map(\.group), [["b"], ["a"]])
        XCTAssertEqual(result.rows.map(\.bucketLabel), ["2026-11-01 00:00", "2026-11-01 01:00"])
        // Percentiles are bucket midpoints: within 1% of the recorded value.
        XCTAssertEqual(Double(result.rows[0].p50ResponseTime ?? 0), 1_000, accuracy: 10)

        let all = try UsageEngine.run(UsageQuery(window: TimeWindow(since: base, until: base + hour), groupBy: [.device], filters: [.device: ["a"]]),
                                      cells: cells, prices: .seedDefaults)
        XCTAssertEqual(all.rows.count, 1)
        XCTAssertEqual(Double(all.rows[0].p50ResponseTime ?? 0), 200, accuracy: 2)
        XCTAssertEqual(Double(all.rows[0].p99ResponseTime ?? 0), 300, accuracy: 3)
        XCTAssertEqual(all.rows[0].avgResponseTime, 200)
    }

    func testBadQueriesNameTheField() {
        let query = UsageQuery(window: TimeWindow(since: 10, until: 5), timeZone: "Nowhere/Land", top: -1)
        XCTAssertThrowsError(try UsageEngine.run(query, cells: [], prices: .seedDefaults)) { error in
            XCTAssertEqual((error as? ValidationError)?.violations.map(\.field), ["window", "top", "time_zone"])
        }
    }

    /// Shuffling cells changes nothing, and daily rows add up to the whole window.
    func testOrderFreeAndBucketsAddUp() throws {
        var rng = SeededGenerator.announced("testOrderFreeAndBucketsAddUp")
        let models = ["gpt-4o", "claude-3-5-haiku-x", "gemini-pro", "unknown-model", ""]
        let cells: [UsageCell] = (0..<300).map { _ in
            UsageCell(start: base + Millis.random(in: 0..<(24 * 10), using: &rng) * hour,
                      values: [.persona: "p\(Int.random(in: 0..<3, using: &rng))"],
                      model: models[Int.random(in: 0..<models.count, using: &rng)],
                      rollup: rollup(count: .random(in: 1...5, using: &rng), input: .random(in: 0...100_000, using: &rng),
                                     output: .random(in: 0...100_000, using: &rng), latencies: [.random(in: 0...5_000, using: &rng)]))
        }
        let window = TimeWindow(since: base, until: base + 24 * 10 * hour)
        let daily = UsageQuery(window: window, timeZone: "Europe/Berlin", granularity: .day, groupBy: [.persona, .model], orderBy: .totalTokens)
        let first = try UsageEngine.run(daily, cells: cells, prices: .seedDefaults)
        let second = try UsageEngine.run(daily, cells: cells.shuffled(using: &rng), prices: .seedDefaults)
        XCTAssertEqual(first, second)

        let whole = try UsageEngine.run(UsageQuery(window: window), cells: cells, prices: .seedDefaults)
        XCTAssertEqual(whole.rows.count, 1)
        XCTAssertEqual(first.rows.reduce(0) { $0 + $1.count }, whole.rows[0].count)
        XCTAssertEqual(first.rows.reduce(0) { $0 + $1.tokens.total }, whole.rows[0].tokens.total)
        XCTAssertEqual(first.rows.reduce(Cost.zero) { $0 + $1.cost }, whole.totalCost)
        XCTAssertEqual(first.totalCost, whole.totalCost)
        XCTAssertGreaterThan(whole.totalCost.unpricedTokens, 0)
    }
}
