import Foundation
import NIOCore
import ParleyWire
import Synchronization
import XCTest
@testable import ParleyLoad

/// A server made slow on purpose: one call at a time, each taking `serviceTime`.
private struct SlowSender: CallSender {
    let serviceTime: Duration
    let server = AsyncSlots(1)

    func send(_ frame: Frame, connection: Int) async throws -> CallAnswer {
        await server.acquire()
        try? await Task.sleep(for: serviceTime)
        await server.release()
        return CallAnswer(status: .ok)
    }
}

/// Answers at once with the status the body names, or fails to answer for "drop".
private struct ScriptedSender: CallSender {
    struct Dropped: Error {}

    func send(_ frame: Frame, connection: Int) async throws -> CallAnswer {
        let text = frame.body.getString(at: frame.body.readerIndex, length: frame.body.readableBytes) ?? ""
        switch text {
        case "drop": throw Dropped()
        case "bad": return CallAnswer(status: .invalidArgument)
        case "busy": return CallAnswer(status: .resourceExhausted)
        default: return CallAnswer(status: .ok)
        }
    }
}

final class ReplayEngineTests: XCTestCase {
    private func records(_ count: Int, spacingMicros: UInt64 = 1_000, connections: UInt32 = 1, body: (Int) -> String = { _ in "ok" }) -> [CaptureRecord] {
        (0..<count).map { i in
            var b = ByteBuffer()
            b.writeString(body(i))
            return CaptureRecord(arrivalMicros: UInt64(i) * spacingMicros, connection: UInt32(i) % connections,
                                 frame: Frame(type: .request, callID: UInt32(i + 1), code: Method.logTurn.id, body: b))
        }
    }

    /// 150 calls meant 1 ms apart against a server that needs 3 ms each: call k waits
    /// about 2k ms. Open loop must report that wait; closed loop, at the same rate and
    /// with the same slots, reports only the service time.
    func testOpenLoopCountsTheQueueingDelayAndClosedLoopDoesNot() async throws {
        let calls = 150
        let sender = SlowSender(serviceTime: .milliseconds(3))
        let open = try await ReplayEngine(plan: ReplayPlan(pace: .rate(perSecond: 1_000), loop: .open, connections: 1, inFlight: 1),
                                    sender: sender).run(records(calls))
        let closed = try await ReplayEngine(plan: ReplayPlan(pace: .rate(perSecond: 1_000), loop: .closed, connections: 1, inFlight: 1),
                                      sender: sender).run(records(calls))
        XCTAssertEqual(open.calls, calls)
        XCTAssertEqual(closed.calls, calls)
        // The 99th-percentile call (k = 149) is behind by at least 149 × (3 - 1) ms;
        // allow half of that for timer slack.
        let backlogMs = 0.99 * Double(calls) * 2
        XCTAssertGreaterThan(open.latency.p99Ms, backlogMs / 2, "open loop p99 \(open.latency.p99Ms) ms")
        XCTAssertLessThan(closed.latency.p99Ms, open.latency.p99Ms / 4, "closed \(closed.latency.p99Ms) vs open \(open.latency.p99Ms) ms")
        XCTAssertGreaterThanOrEqual(closed.latency.p50Ms, 3, "closed loop still sees the service time")
        XCTAssertEqual(open.intendedRate, 1_000)
        XCTAssertLessThan(open.achievedRate, 600, "the server cannot keep up: achieved \(open.achievedRate)/s")
    }

    func testOpenLoopBelowCapacityReportsNoBacklog() async throws {
        let summary = try await ReplayEngine(plan: ReplayPlan(pace: .rate(perSecond: 200), loop: .open, connections: 2, inFlight: 2),
                                       sender: ScriptedSender()).run(records(100, connections: 2))
        XCTAssertEqual(summary.succeeded, 100)
        XCTAssertLessThan(summary.latency.p50Ms, 20)
        XCTAssertEqual(summary.achievedRate, 200, accuracy: 80)
    }

    func testRecordedPaceIsScaledBySpeed() async throws {
        // 51 records 10 ms apart (0.5 s recorded) at speed 10: about 0.05 s.
        let plan = ReplayPlan(pace: .recorded(speed: 10), loop: .open, connections: 1, inFlight: 4)
        let summary = try await ReplayEngine(plan: plan, sender: ScriptedSender()).run(records(51, spacingMicros: 10_000))
        XCTAssertEqual(try XCTUnwrap(summary.intendedRate), 1_000, accuracy: 1)
        XCTAssertGreaterThanOrEqual(summary.seconds, 0.05)
        XCTAssertLessThan(summary.seconds, 0.4, "not replayed at recorded speed")
        let offsets = ReplayEngine<ScriptedSender>.intendedOffsets(records(3, spacingMicros: 10_000), pace: .recorded(speed: 10))
        XCTAssertEqual(offsets, [.zero, .milliseconds(1), .milliseconds(2)])
    }

    func testErrorsAreCountedByStatusAndTheThresholdDecides() async throws {
        let script = { (i: Int) -> String in i % 10 == 3 ? "bad" : i % 25 == 7 ? "busy" : i == 11 ? "drop" : "ok" }
        let plan = ReplayPlan(pace: .asFastAsAnswered, loop: .closed, connections: 3, inFlight: 2)
        let summary = try await ReplayEngine(plan: plan, sender: ScriptedSender()).run(records(100, connections: 3, body: script))
        XCTAssertEqual(summary.calls, 100)
        XCTAssertEqual(summary.errorsByStatus, ["INVALID_ARGUMENT": 10, "RESOURCE_EXHAUSTED": 4, "transport": 1])
        XCTAssertEqual(summary.failed, 15)
        XCTAssertEqual(summary.succeeded, 85)
        XCTAssertEqual(summary.transportErrors.count, 1)
        XCTAssertNil(summary.intendedRate)
        XCTAssertEqual(summary.verdict(ErrorThreshold(maxFailedFraction: 0.2)), .passed)
        guard case .failed(let reason) = summary.verdict(.none) else { return XCTFail("15% errors must fail at 0%") }
        XCTAssertTrue(reason.contains("15 of 100"), reason)
    }

    func testSummaryEncodesToJSONAndBack() async throws {
        let summary = try await ReplayEngine(plan: ReplayPlan(pace: .rate(perSecond: 500), loop: .open, connections: 1, inFlight: 1),
                                       sender: ScriptedSender()).run(records(20, body: { $0 == 4 ? "bad" : "ok" }))
        let json = try summary.json()
        for key in ["\"achieved_rate\"", "\"intended_rate\"", "\"errors_by_status\"", "\"INVALID_ARGUMENT\"", "\"p99_9_ms\"", "\"max_ms\""] {
            XCTAssertTrue(json.contains(key), "\(key) in \(json)")
        }
        XCTAssertEqual(try JSONDecoder().decode(ReplaySummary.self, from: Data(json.utf8)), summary)
    }

    func testProgressIsReportedWhileRunning() async throws {
        let seen = ProgressLog()
        let engine = try ReplayEngine(plan: ReplayPlan(pace: .rate(perSecond: 400), loop: .open, connections: 1, inFlight: 1),
                                      sender: ScriptedSender(), progressInterval: .milliseconds(50),
                                      onProgress: { seen.append($0) })
        _ = await engine.run(records(80))
        let reports = seen.all
        XCTAssertGreaterThanOrEqual(reports.count, 2)
        XCTAssertEqual(reports.map(\.answered), reports.map(\.answered).sorted(), "progress only goes forward")
    }

    func testPlansThatCannotWorkAreRefused() {
        XCTAssertThrowsError(try ReplayEngine(plan: ReplayPlan(pace: .asFastAsAnswered, loop: .open), sender: ScriptedSender()))
        XCTAssertThrowsError(try ReplayEngine(plan: ReplayPlan(pace: .rate(perSecond: 0), loop: .closed), sender: ScriptedSender()))
        XCTAssertThrowsError(try ReplayEngine(plan: ReplayPlan(pace: .recorded(speed: 1), loop: .open, connections: 0), sender: ScriptedSender()))
    }
}

private final class ProgressLog: Sendable {
    private let reports = Mutex<[ReplayProgress]>([])
    func append(_ p: ReplayProgress) { reports.withLock { $0.append(p) } }
    var all: [ReplayProgress] { reports.withLock { $0 } }
}
