import ArgumentParser
import Dispatch
import Foundation
import NIOConcurrencyHelpers
import ParleyClient
import ParleyWire

/// `parley-load`: replays recorded traffic against a server, as fast as it answers, at a
/// fixed rate, or with the recording's own spacing, and reports what happened.
public struct ParleyLoadCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "parley-load",
        abstract: "Replay recorded turns (CSV or JSON lines of ai_conversations) against a Parley server.",
        discussion: """
        Examples:
          parley export turns --since 1d --as jsonl --output day.jsonl
          parley-load day.jsonl --connections 16 --rate 2000
          parley-load day.jsonl --as-recorded --speed 10
        Replaying the same file twice stores nothing new: turn ids are idempotency keys.
        """,
        version: ParleyVersion.string)

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: "The recording: .csv, or JSON lines (.jsonl/.json).")
    var file: String

    @Option(help: "Organization for rows that name none.")
    var org: String?

    @Option(help: "Concurrent connections.")
    var connections = 8

    @Option(help: "Turns per second in total; 0 sends as fast as the server answers.")
    var rate: Double = 0

    @Flag(help: "Keep the recording's spacing between replies (scaled by --speed).")
    var asRecorded = false

    @Option(help: "With --as-recorded: how many times faster than recorded.")
    var speed: Double = 1

    public init() {}

    public static func main() async {
        let code = await CommandRunner.run(ParleyLoadCommand.self, arguments: Array(CommandLine.arguments.dropFirst()),
                                           terminal: .standard())
        Foundation.exit(code)
    }

    public func run() async throws {
        guard connections > 0, rate >= 0, speed > 0 else {
            throw CLIError.usage("--connections and --speed must be positive and --rate not negative")
        }
        let terminal = Terminal.current
        let recording: TrafficRecording
        do {
            recording = try TrafficRecording(path: file, organization: org)
        } catch {
            throw CLIError.local("cannot read \(file): \(error)")
        }
        for p in recording.problems.prefix(20) { terminal.note("skipped \(p)") }
        guard !recording.entries.isEmpty else { throw CLIError.usage("\(file) holds no turns to replay") }
        let schedule = Self.schedule(recording.entries, rate: rate, asRecorded: asRecorded, speed: speed)

        let config = try connection.resolve()
        let clients = (0..<connections).map { _ in ParleyClient(configuration: config) }
        let tally = NIOLockedValueBox(LoadTally())
        let start = DispatchTime.now().uptimeNanoseconds
        await withTaskGroup(of: Void.self) { group in
            for (c, client) in clients.enumerated() {
                group.addTask {
                    for i in stride(from: c, to: recording.entries.count, by: connections) {
                        if let due = schedule[i] {
                            let now = DispatchTime.now().uptimeNanoseconds - start
                            if due > now { try? await Task.sleep(nanoseconds: due - now) }
                        }
                        let sent = DispatchTime.now().uptimeNanoseconds
                        do {
                            let answer = try await client.dynamicCall(.logTurn, recording.entries[i].request)
                            let took = DispatchTime.now().uptimeNanoseconds - sent
                            tally.withLockedValue { $0.record(took, duplicate: answer.int("outcome") == 1) }
                        } catch let e as RPCError {
                            tally.withLockedValue { $0.fail(line: recording.entries[i].line, e.description) }
                        } catch {
                            tally.withLockedValue { $0.fail(line: recording.entries[i].line, CLIError(error).description) }
                        }
                    }
                }
            }
        }
        for client in clients { await client.close() }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let t = tally.withLockedValue { $0 }
        terminal.line(t.summary(seconds: seconds))
        for f in t.failures.prefix(20) { terminal.note(f) }
        if !t.failures.isEmpty { throw CLIError.local("\(t.failures.count) turns failed") }
    }

    /// When each entry is due, in nanoseconds from the start; nil: as soon as possible.
    static func schedule(_ entries: [TrafficRecording.Entry], rate: Double, asRecorded: Bool, speed: Double) -> [UInt64?] {
        if asRecorded, let first = entries.compactMap(\.repliedAtMs).min() {
            return entries.map { e in e.repliedAtMs.map { UInt64(max(0, Double($0 - first) * 1e6 / speed)) } }
        }
        guard rate > 0 else { return entries.map { _ in nil } }
        return entries.indices.map { UInt64(Double($0) * 1e9 / rate) }
    }
}

/// What a replay did: answers, duplicates, failures and latencies.
struct LoadTally {
    private(set) var stored = 0
    private(set) var duplicates = 0
    private(set) var failures: [String] = []
    private var latencies: [UInt64] = []

    mutating func record(_ ns: UInt64, duplicate: Bool) {
        latencies.append(ns)
        if duplicate { duplicates += 1 } else { stored += 1 }
    }

    mutating func fail(line: Int, _ reason: String) {
        failures.append("line \(line): \(reason)")
    }

    func summary(seconds: Double) -> String {
        let sorted = latencies.sorted()
        func p(_ q: Double) -> String {
            guard !sorted.isEmpty else { return "-" }
            return Format.milliseconds(Double(sorted[min(sorted.count - 1, Int(q * Double(sorted.count)))]) / 1e6)
        }
        let total = stored + duplicates + failures.count
        return "\(Format.integer(Int64(total))) turns in \(String(format: "%.2f", seconds)) s "
            + "(\(Format.integer(Int64(Double(total) / max(seconds, 1e-9)))) turns/s): "
            + "\(Format.integer(Int64(stored))) stored, \(Format.integer(Int64(duplicates))) duplicates, "
            + "\(Format.integer(Int64(failures.count))) failed; latency p50 \(p(0.5)), p99 \(p(0.99))"
    }
}
