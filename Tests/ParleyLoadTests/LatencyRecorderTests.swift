import XCTest
@testable import ParleyLoad

final class LatencyRecorderTests: XCTestCase {
    func testNearestRankRuleOnSmallSets() {
        var r = LatencyRecorder()
        for v in 1...10 { r.record(nanoseconds: UInt64(v)) }
        XCTAssertEqual(r.count, 10)
        XCTAssertEqual(r.nanoseconds(at: .p50), 5, "ceil(0.5 × 10) = 5th value")
        XCTAssertEqual(r.nanoseconds(at: .p90), 9)
        XCTAssertEqual(r.nanoseconds(at: .p99), 10, "ceil(0.99 × 10) = 10th value")
        XCTAssertEqual(r.maxNanoseconds, 10)
    }

    func testPercentilesOfAThousandValuesAreExactBelowTheResolutionLimit() {
        var r = LatencyRecorder()
        for v in (1...1_000).reversed() { r.record(nanoseconds: UInt64(v)) }
        XCTAssertEqual(r.nanoseconds(at: .p50), 500)
        XCTAssertEqual(r.nanoseconds(at: .p90), 900)
        XCTAssertEqual(r.nanoseconds(at: .p99), 990)
        XCTAssertEqual(r.nanoseconds(at: .p999), 999)
        XCTAssertEqual(r.maxNanoseconds, 1_000)
    }

    func testLargeValuesStayWithinATenthOfAPercent() {
        var r = LatencyRecorder()
        let values: [UInt64] = (1...10_000).map { UInt64($0) * 1_234_567 }
        for v in values { r.record(nanoseconds: v) }
        let exactP99 = Double(values[9_899])
        XCTAssertEqual(Double(r.nanoseconds(at: .p99)), exactP99, accuracy: exactP99 / 1_000)
        XCTAssertEqual(r.maxNanoseconds, values.last)
        let s = r.summary
        XCTAssertEqual(s.maxMs, Double(values.last ?? 0) / 1e6)
        XCTAssertLessThanOrEqual(s.p50Ms, s.p90Ms)
        XCTAssertLessThanOrEqual(s.p99Ms, s.p999Ms)
        XCTAssertLessThanOrEqual(s.p999Ms, s.maxMs)
    }

    func testMergeCountsBothAndEmptyIsZero() {
        XCTAssertEqual(LatencyRecorder().summary.p99Ms, 0)
        var a = LatencyRecorder(), b = LatencyRecorder()
        for v in 1...50 { a.record(nanoseconds: UInt64(v)) }
        for v in 51...100 { b.record(.nanoseconds(v)) }
        a.merge(b)
        XCTAssertEqual(a.count, 100)
        XCTAssertEqual(a.nanoseconds(at: .p50), 50)
        XCTAssertEqual(a.maxNanoseconds, 100)
    }
}
