import ArgumentParser
import Foundation
import ParleyLoad

/// `parley-load generate`: writes a deterministic day (or N turns) of realistic traffic
/// in the capture format, so `replay` plays it like a recording (docs/LOAD.md).
struct LoadGenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write generated traffic (directory, sessions of turns, duplicates, leads, feedback) as a capture.",
        discussion: "The same seed and size give the same file, byte for byte.")

    @Option(help: "The capture to write; it must not exist yet.")
    var output: String

    @Option(help: "Seed of the traffic model.")
    var seed: UInt64 = 1

    @Option(help: "Exactly this many distinct turns.")
    var turns: Int?

    @Option(help: "Whole days of traffic (at --turns-per-day each), from Monday 2026-01-05 UTC.")
    var days: Int?

    @Option(help: "Mean distinct turns per day.")
    var turnsPerDay = 20_000

    @Option(help: "Contacts in the directory (their activity is Zipf-skewed).")
    var contacts = 5_000

    @Option(help: "Organization of the generated traffic.")
    var org = "org-load"

    @Option(help: "Connections the sessions are spread over (a session stays on one).")
    var connections = 16

    func run() throws {
        let size: TrafficSize
        switch (turns, days) {
        case (.some(let n), nil): size = .turns(n)
        case (nil, .some(let d)): size = .days(d)
        default: throw CLIError.usage("give either --turns N or --days D")
        }
        guard connections > 0 else { throw CLIError.usage("--connections must be positive") }
        let generator: TrafficGenerator
        do {
            generator = try TrafficGenerator(TrafficProfile(seed: seed, size: size, organizationId: org, turnsPerDay: turnsPerDay,
                                                                contacts: contacts))
        } catch {
            throw CLIError.usage(error.description)
        }
        let totals: TrafficTotals
        let written: Int
        do {
            // One part however large: a generated capture is read whole, not rotated away.
            let writer = try CaptureWriter(path: output, limits: CaptureLimits(maxPartBytes: Int.max, maxParts: 1),
                                           startMicros: GeneratedCapture.startMicros(of: generator))
            totals = try GeneratedCapture.write(generator, encoder: TypedRequestEncoder(), connections: connections, to: writer)
            try writer.close()
            written = writer.recordsWritten
        } catch {
            throw CLIError.local("\(error)")
        }
        let terminal = Terminal.current
        terminal.line("wrote \(Format.integer(Int64(written))) requests to \(output): \(Format.integer(Int64(totals.turns))) turns "
                      + "(+\(Format.integer(Int64(totals.duplicateDeliveries))) duplicate deliveries) in "
                      + "\(Format.integer(Int64(totals.sessions))) sessions, \(totals.leads) leads, \(totals.feedback) feedback")
        for (model, count) in totals.turnsByModel.sorted(by: { $0.key < $1.key }) {
            let tokens = totals.tokensByModel[model]?.total ?? 0
            terminal.line("  \(model): \(Format.integer(Int64(count))) turns, \(Format.integer(tokens)) tokens")
        }
    }
}
