import ParleyWire

/// Replays captured requests through a `CallSender` by a `ReplayPlan` and measures
/// every call.
///
/// Open loop: each connection's requests are released at their intended times; a request
/// whose connection has no free slot waits, and its latency still counts from the
/// intended time, so a backlog shows in the percentiles as a real client would feel it.
/// Closed loop: each of a connection's `inFlight` slots takes the next request, waits
/// for its intended time if it is early, and measures from the moment it sends.
public struct ReplayEngine<Sender: CallSender>: Sendable {
    public let plan: ReplayPlan
    public let sender: Sender
    public let progressInterval: Duration
    public let onProgress: (@Sendable (ReplayProgress) -> Void)?

    public init(plan: ReplayPlan, sender: Sender, progressInterval: Duration = .seconds(1),
                onProgress: (@Sendable (ReplayProgress) -> Void)? = nil) throws(ReplayPlanError) {
        try plan.validate()
        self.plan = plan
        self.sender = sender
        self.progressInterval = progressInterval
        self.onProgress = onProgress
    }

    /// Sends every request of `records` (in capture order) and summarises. With
    /// `verify`, each answer is compared with the one the capture recorded for it
    /// (AnswerComparison); a capture without answers (version 1, or generated) says so.
    public func run(_ captured: [CaptureRecord], verify: Bool = false) async -> ReplaySummary {
        let records = captured.filter { $0.frame.type == .request }
        let recorded = verify ? RecordedAnswers(captured) : nil
        let offsets = Self.intendedOffsets(records, pace: plan.pace)
        var byConnection = [[Int]](repeating: [], count: plan.connections)
        for (i, record) in records.enumerated() {
            byConnection[Int(record.connection % UInt32(plan.connections))].append(i)
        }
        let tally = ReplayTally(recorded: recorded)
        let ticker = onProgress.map { report in
            Task { [progressInterval] in
                while !Task.isCancelled {
                    try? await Task.sleep(for: progressInterval)
                    if !Task.isCancelled { report(tally.progress) }
                }
            }
        }
        let start = ContinuousClock.now
        await withTaskGroup(of: Void.self) { group in
            for (connection, indices) in byConnection.enumerated() where !indices.isEmpty {
                group.addTask {
                    switch plan.loop {
                    case .open:
                        await openLoop(indices, connection: connection, records: records, offsets: offsets, start: start, tally: tally)
                    case .closed:
                        await closedLoop(indices, connection: connection, records: records, offsets: offsets, start: start, tally: tally)
                    }
                }
            }
        }
        ticker?.cancel()
        var result = summary(tally, records: records, offsets: offsets, start: start)
        if verify {
            let holdsAnswers = captured.contains { $0.frame.type == .response }
            result.verify = tally.verifySummary(note: holdsAnswers ? nil : "the capture holds no answers (capture format version 1, or generated traffic): nothing was compared")
        }
        return result
    }

    /// When each record is meant to be sent, from the start; nil: as soon as a slot frees.
    static func intendedOffsets(_ records: [CaptureRecord], pace: ReplayPlan.Pace) -> [Duration?] {
        switch pace {
        case .asFastAsAnswered:
            return records.map { _ in nil }
        case .rate(let perSecond):
            return records.indices.map { .nanoseconds(Int64(Double($0) * 1e9 / perSecond)) }
        case .recorded(let speed):
            guard let first = records.first?.arrivalMicros else { return [] }
            return records.map { r in
                // Records arrive in capture order; a clock step backwards replays at once.
                .nanoseconds(Int64(Double(r.arrivalMicros > first ? r.arrivalMicros - first : 0) * 1_000 / speed))
            }
        }
    }

    private func openLoop(_ indices: [Int], connection: Int, records: [CaptureRecord], offsets: [Duration?],
                          start: ContinuousClock.Instant, tally: ReplayTally) async {
        let slots = AsyncSlots(plan.inFlight)
        // Discarding: a replay of millions of calls must not keep every finished child.
        await withDiscardingTaskGroup { calls in
            for i in indices {
                // validate() guarantees a pace, so every offset is set in open loop.
                let intended = start + (offsets[i] ?? .zero)
                try? await Task.sleep(until: intended, clock: .continuous)
                await slots.acquire()
                tally.markSent()
                calls.addTask {
                    let answer = await call(records[i].frame, connection: connection)
                    let now = ContinuousClock.now
                    tally.record(now - intended, answer: answer, at: now)
                    tally.verify(request: i, method: records[i].method, answer: answer)
                    await slots.release()
                }
            }
        }
    }

    private func closedLoop(_ indices: [Int], connection: Int, records: [CaptureRecord], offsets: [Duration?],
                            start: ContinuousClock.Instant, tally: ReplayTally) async {
        let queue = WorkQueue(indices)
        await withTaskGroup(of: Void.self) { slots in
            for _ in 0..<plan.inFlight {
                slots.addTask {
                    while let i = await queue.next() {
                        if let offset = offsets[i] { try? await Task.sleep(until: start + offset, clock: .continuous) }
                        tally.markSent()
                        let sent = ContinuousClock.now
                        let answer = await call(records[i].frame, connection: connection)
                        let now = ContinuousClock.now
                        tally.record(now - sent, answer: answer, at: now)
                        tally.verify(request: i, method: records[i].method, answer: answer)
                    }
                }
            }
        }
    }

    private func call(_ frame: Frame, connection: Int) async -> Result<CallAnswer, any Error> {
        do { return .success(try await sender.send(frame, connection: connection)) } catch { return .failure(error) }
    }

    private func summary(_ tally: ReplayTally, records: [CaptureRecord], offsets: [Duration?],
                         start: ContinuousClock.Instant) -> ReplaySummary {
        let s = tally.snapshot()
        let elapsed = (s.lastAnswer ?? start) - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        var intendedRate: Double?
        switch plan.pace {
        case .asFastAsAnswered: intendedRate = nil
        case .rate(let r): intendedRate = r
        case .recorded:
            if let last = offsets.last ?? nil, last > .zero, records.count > 1 {
                let span = Double(last.components.seconds) + Double(last.components.attoseconds) / 1e18
                intendedRate = Double(records.count - 1) / span
            }
        }
        return ReplaySummary(
            loop: plan.loop == .open ? "open" : "closed", calls: s.calls, succeeded: s.succeeded,
            failed: s.calls - s.succeeded, seconds: seconds, intendedRate: intendedRate,
            achievedRate: seconds > 0 ? Double(s.calls) / seconds : 0, errorsByStatus: s.errors,
            transportErrors: s.transport, latency: s.latencies.summary)
    }
}
