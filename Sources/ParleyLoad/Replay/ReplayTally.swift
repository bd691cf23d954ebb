import Foundation
import ParleyWire

/// What a replay has seen so far: shared by every sending task.
final class ReplayTally: @unchecked Sendable {
    // @unchecked: every field is read and written only under `lock`.
    private let lock = NSLock()
    private var latencies = LatencyRecorder()
    private var sent = 0
    private var answered = 0
    private var succeeded = 0
    private var errors: [String: Int] = [:]
    private var transportErrors: [String] = []
    private var lastAnswer: ContinuousClock.Instant?

    func markSent() {
        lock.withLock { sent += 1 }
    }

    func record(_ latency: Duration, answer: Result<CallAnswer, any Error>, at instant: ContinuousClock.Instant) {
        lock.withLock {
            latencies.record(latency)
            answered += 1
            lastAnswer = instant
            switch answer {
            case .success(let a) where a.status == .ok:
                succeeded += 1
            case .success(let a):
                errors[a.status.name, default: 0] += 1
            case .failure(let error):
                errors[ReplaySummary.transportErrorKey, default: 0] += 1
                if transportErrors.count < 5 { transportErrors.append("\(error)") }
            }
        }
    }

    var progress: ReplayProgress {
        lock.withLock { ReplayProgress(sent: sent, answered: answered, failed: answered - succeeded) }
    }

    func snapshot() -> (latencies: LatencyRecorder, calls: Int, succeeded: Int, errors: [String: Int],
                        transport: [String], lastAnswer: ContinuousClock.Instant?) {
        lock.withLock { (latencies, answered, succeeded, errors, transportErrors, lastAnswer) }
    }
}
