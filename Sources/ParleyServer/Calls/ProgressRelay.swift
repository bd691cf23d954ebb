import ParleyWire

/// Carries progress from long work (backfill, retention, check) to a response stream: at
/// most five messages a second, only the newest figures, then one final message with
/// `finished` set. Cancelling the call cancels the work.
final class ProgressRelay: Sendable {
    private let phase: String
    private let updates: AsyncStream<(done: Int64, total: Int64)>
    private let continuation: AsyncStream<(done: Int64, total: Int64)>.Continuation

    init(phase: String) {
        self.phase = phase
        (updates, continuation) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    /// Called by the work, from any thread.
    func post(done: Int64, total: Int64) {
        continuation.yield((done, total))
    }

    func run<T: Sendable>(on stream: ResponseStream<V1.Progress>, describe: @escaping @Sendable (T) -> String,
                          _ work: @escaping @Sendable () async throws -> T) async throws {
        let continuation = self.continuation
        let task = Task {
            defer { continuation.finish() }
            return try await work()
        }
        try await withTaskCancellationHandler {
            var last: (done: Int64, total: Int64) = (0, 0)
            var lastSent = ContinuousClock.now - .seconds(1)
            for await update in updates {
                last = update
                if ContinuousClock.now - lastSent >= .milliseconds(200) {
                    try await stream.send(message(last, text: ""))
                    lastSent = .now
                }
            }
            let result = try await task.value
            var final = message(last, text: describe(result))
            final.finished = true
            try await stream.send(final)
        } onCancel: {
            task.cancel()
        }
    }

    private func message(_ p: (done: Int64, total: Int64), text: String) -> V1.Progress {
        V1.Progress(phase: phase, done: p.done, total: p.total, message: text.nonEmpty)
    }
}
