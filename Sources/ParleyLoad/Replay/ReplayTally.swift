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
    private let recorded: RecordedAnswers?
    private var compared = 0
    private var mismatches = 0
    private var withoutAnswer = 0
    private var examples: [String] = []

    init(recorded: RecordedAnswers? = nil) {
        self.recorded = recorded
    }

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

    /// With recorded answers: compares request `request`'s answer with its recorded one.
    func verify(request: Int, method: Method?, answer: Result<CallAnswer, any Error>) {
        guard let recorded else { return }
        let expected = recorded.byRequest[request]
        let difference: String?
        switch (expected, answer) {
        case (nil, _):
            lock.withLock { withoutAnswer += 1 }
            return
        case (.some(let was), .success(let now)):
            difference = AnswerComparison.difference(method: method, recorded: was, replayed: now)
        case (.some, .failure(let error)):
            difference = "no answer now (\(error))"
        }
        lock.withLock {
            compared += 1
            guard let difference else { return }
            mismatches += 1
            if examples.count < 5 { examples.append("request \(request) (\(method?.name ?? "unknown method")): \(difference)") }
        }
    }

    func verifySummary(note: String?) -> VerifySummary {
        lock.withLock {
            VerifySummary(compared: compared, mismatches: mismatches, withoutRecordedAnswer: withoutAnswer, examples: examples, note: note)
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
