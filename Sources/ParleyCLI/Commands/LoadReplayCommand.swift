import ArgumentParser
import Foundation
import ParleyClient
import ParleyLoad

/// `parley-load replay FILE`: sends a capture (or an export of turns) to a server by a
/// `ReplayPlan` and reports latency percentiles, rates and errors (docs/LOAD.md).
struct LoadReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Replay a capture (parleyd --record, parley-load generate) or an export of turns against a server.",
        discussion: """
        The pace: --rate N (evenly, N calls/s in total), --speed X (the recorded spacing, X times \
        faster), or neither (as fast as answered). With a pace the replay is open loop: every call's \
        latency counts from when it was meant to be sent, so a backlog shows as a real client would \
        feel it. --closed measures from the actual send instead (service time only).
        """)

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: "A capture (FILE, with FILE.1 ... if rotated), or an export: .csv or JSON lines (.jsonl/.json).")
    var file: String

    @Option(help: "Calls per second in total (open loop).")
    var rate: Double?

    @Option(help: "Keep the recorded spacing, this many times faster (open loop).")
    var speed: Double?

    @Flag(help: "Measure from the actual send, not the intended time (closed loop).")
    var closed = false

    @Option(help: "Connections to the server; a recorded connection always maps to the same one.")
    var connections = 8

    @Option(help: "Calls in flight at most on each connection.")
    var inFlight = 1

    @Option(help: "Share of failed calls (0 to 1) above which the replay exits non-zero.")
    var maxErrorRate: Double = 0

    @Flag(help: "Compare every answer with the one the capture recorded (times and server-made ids aside, docs/LOAD.md) and count mismatches.")
    var verify = false

    @Option(help: "With --verify: share of compared answers (0 to 1) that may differ before the replay exits non-zero.")
    var maxMismatchRate: Double = 0

    @Flag(help: "Print the summary as JSON (stable keys) instead of text.")
    var json = false

    @Option(help: "Seconds between progress lines on standard error; 0: none.")
    var progressSeconds: Double = 1

    @Option(help: "Exports only: organization for rows that name none.")
    var org: String?

    func run() async throws {
        let terminal = Terminal.current
        let plan = try makePlan()
        guard (0...1).contains(maxErrorRate) else { throw CLIError.usage("--max-error-rate must be between 0 and 1") }
        guard (0...1).contains(maxMismatchRate) else { throw CLIError.usage("--max-mismatch-rate must be between 0 and 1") }
        guard !verify || !Self.isExport(file) else { throw CLIError.usage("--verify needs a capture (parleyd --record): an export holds no answers") }
        guard progressSeconds >= 0 else { throw CLIError.usage("--progress-seconds must not be negative") }
        let records = try readRecords(terminal: terminal)
        guard !records.isEmpty else { throw CLIError.usage("\(file) holds nothing to replay") }

        let config = try connection.resolve()
        let sender = ClientCallSender(clients: (0..<plan.connections).map { _ in ParleyClient(configuration: config) })
        do {
            try await sender.connectAll()
        } catch {
            await sender.closeAll()
            throw CLIError(error)
        }
        let total = records.filter { $0.frame.type == .request }.count
        var progress: (@Sendable (ReplayProgress) -> Void)?
        if progressSeconds > 0 {
            progress = { p in terminal.note("sent \(p.sent) of \(total), answered \(p.answered), failed \(p.failed)") }
        }
        let engine: ReplayEngine<ClientCallSender>
        do {
            engine = try ReplayEngine(plan: plan, sender: sender, progressInterval: .milliseconds(Int64(progressSeconds * 1000)),
                                      onProgress: progress)
        } catch {
            await sender.closeAll()
            throw CLIError.usage(error.description)
        }
        let summary = await engine.run(records, verify: verify)
        await sender.closeAll()
        let outcomes = sender.logTurnOutcomes
        if json {
            terminal.line(try summary.json())
        } else {
            for line in ReplayReport.lines(summary, outcomes: outcomes) { terminal.line(line) }
        }
        if case .failed(let reason) = summary.verdict(ErrorThreshold(maxFailedFraction: maxErrorRate)) {
            throw CLIError.local(reason)
        }
        if case .failed(let reason) = summary.verifyVerdict(maxMismatchFraction: maxMismatchRate) {
            throw CLIError.local(reason)
        }
    }

    func makePlan() throws -> ReplayPlan {
        let pace: ReplayPlan.Pace
        switch (rate, speed) {
        case (.some, .some): throw CLIError.usage("give --rate or --speed, not both")
        case (.some(let r), nil): pace = .rate(perSecond: r)
        case (nil, .some(let s)): pace = .recorded(speed: s)
        case (nil, nil): pace = .asFastAsAnswered
        }
        let loop: ReplayPlan.Loop = closed || pace == .asFastAsAnswered ? .closed : .open
        return ReplayPlan(pace: pace, loop: loop, connections: connections, inFlight: inFlight)
    }

    /// The whole input, read before anything is sent: a damaged capture sends nothing.
    func readRecords(terminal: Terminal) throws -> [CaptureRecord] {
        if Self.isExport(file) {
            let recording: TrafficRecording
            do {
                recording = try TrafficRecording(path: file, organization: org)
            } catch {
                throw CLIError.local("cannot read \(file): \(error)")
            }
            for p in recording.problems.prefix(20) { terminal.note("skipped \(p)") }
            return recording.records(connections: connections)
        }
        do {
            return try CaptureSet(path: file).readAll()
        } catch {
            throw CLIError.local("\(error.description); nothing was sent")
        }
    }

    /// Exports are named by their format; anything else is read as a capture, which
    /// checks its own magic.
    static func isExport(_ path: String) -> Bool {
        [".csv", ".jsonl", ".json"].contains { path.lowercased().hasSuffix($0) }
    }
}
