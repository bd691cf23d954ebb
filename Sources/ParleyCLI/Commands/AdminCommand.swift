import ArgumentParser
import Foundation
import ParleyClient
import ParleyWire

/// `parley admin ...`: operations on the data and the database.
struct AdminCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "admin",
        abstract: "Operate the server: backfill, retain, repair-tokens, check, stats, backup, keys.",
        discussion: """
        Examples:
          parley admin check
          parley admin stats
          parley admin backup --output parley-2026-11-22.db
          parley admin retain --older-than 180d
        """,
        subcommands: [Backfill.self, Retain.self, RepairTokens.self, Check.self, Stats.self, Backup.self, KeysCommand.self])

    struct Backfill: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Rebuild every session's metrics from its turns (after an import or an upgrade).",
            discussion: "Example: parley admin backfill --org acme")
        @OptionGroup var connection: ConnectionOptions
        @Option(help: "Only this organization (default: all).")
        var org: String?

        func run() async throws {
            try await CLIRun.withClient(connection) { client in
                let final = try await AdminCommand.follow(client.backfillSessionMetrics(V1.BackfillRequest(organizationID: org)),
                                                          label: "backfill")
                Terminal.current.line(final.message ?? "done")
            }
        }
    }

    struct Retain: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Archive turn and message detail older than an age; rollups and session metrics stay, so reports still add up.",
            discussion: "Example: parley admin retain --older-than 180d --org acme")
        @OptionGroup var connection: ConnectionOptions
        @Option(help: ArgumentHelp("Archive detail before this time: an age (180d) or a date.", valueName: "time"))
        var olderThan: String
        @Option(help: "Only this organization (default: all).")
        var org: String?

        func run() async throws {
            let cutoff: Int64
            do {
                cutoff = try TimeExpression.parse(olderThan, timeZone: TimeZone(identifier: "UTC") ?? .current,
                                                  nowMs: Int64(Date().timeIntervalSince1970 * 1000))
            } catch {
                throw CLIError.usage("--older-than: \(error.description)")
            }
            let request = V1.RetainRequest(olderThanMs: cutoff, organizationID: org)
            try await CLIRun.withClient(connection) { client in
                let final = try await AdminCommand.follow(client.retainDetail(request), label: "retain")
                Terminal.current.line(final.message ?? "done")
            }
        }
    }

    struct RepairTokens: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "repair-tokens",
            abstract: "Fix turns whose tokens_used is 0 or whose model is empty (the seed's known data problems).",
            discussion: "Example: parley admin repair-tokens --org acme")
        @OptionGroup var connection: ConnectionOptions
        @Option(help: "Only this organization (default: all).")
        var org: String?
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let request = V1.RepairTokensRequest(organizationID: org)
            try await CLIRun.withClient(connection) { client in
                let answer = try await client.repairTokens(request)
                Terminal.current.write(try AdminCommand.single(answer, format: output.format) {
                    [("turns examined", Format.integer(answer.examined ?? 0)),
                     ("token totals fixed", Format.integer(answer.tokensFixed ?? 0)),
                     ("models filled in", Format.integer(answer.modelsFilled ?? 0))]
                })
            }
        }
    }

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Walk the whole database file: every page reachable or free once, key order, checksums.",
            discussion: "Exits 0 when clean, 70 when problems were found. Example: parley admin check")
        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            try await CLIRun.withClient(connection) { client in
                let final = try await AdminCommand.follow(client.check(V1.Empty()), label: "check")
                let message = final.message ?? ""
                Terminal.current.line(message)
                if !message.hasPrefix("clean") { throw ExitCode(70) }
            }
        }
    }

    struct Stats: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the database's size, free pages, trees and commit figures.",
            discussion: "Example: parley admin stats --format json")
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await CLIRun.withClient(connection) { client in
                let stats = try await client.stats(V1.Empty())
                Terminal.current.write(AdminCommand.statsView.render(stats, format: output.format, context: .terminal()))
            }
        }
    }

    struct Backup: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Copy a consistent snapshot of the database while the server serves: to this machine (--output) or to a path on the server's.",
            discussion: """
            Examples:
              parley admin backup --output parley-2026-11-22.db      (streamed here, with progress)
              parley admin backup /var/backups/parley-2026-11-22.db  (written by the server)
            Restore a copy with: parleyd restore FILE --data-dir DIR
            """)
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "Absolute path on the server's machine; an existing file is never overwritten.")
        var path: String?
        @Option(help: "File on this machine to stream the snapshot into; an existing file is never overwritten.")
        var output: String?
        @OptionGroup var format: OutputOptions

        func validate() throws {
            guard (path == nil) != (output == nil) else {
                throw ArgumentParser.ValidationError("give either --output FILE (this machine) or a PATH on the server's machine")
            }
        }

        func run() async throws {
            try await CLIRun.withClient(connection) { client in
                if let output {
                    let answer = try await BackupDownload.run(client: client, to: output)
                    Terminal.current.write(try AdminCommand.single(V1.BackupResponse(bytes: answer.bytes, txnID: answer.txnID),
                                                                   format: format.format) {
                        [("file", output), ("size", ByteCount.text(answer.bytes)), ("transaction", Format.integer(answer.txnID))]
                    })
                    return
                }
                let path = path ?? ""
                let answer = try await client.backup(V1.BackupRequest(path: path))
                Terminal.current.write(try AdminCommand.single(answer, format: format.format) {
                    [("path", path), ("size", ByteCount.text(answer.bytes ?? 0)),
                     ("transaction", Format.integer(answer.txnID ?? 0))]
                })
            }
        }
    }

    static let statsView = AnswerView<V1.StatsResponse>(rows: \.trees) { s, _ in
        var summary = Table(columns: ["field", "value"])
        let pageSize = s.pageSize ?? 0
        summary.add(["file size", ByteCount.text(s.fileBytes ?? 0)])
        summary.add(["page size", ByteCount.text(pageSize)])
        summary.add(["pages", Format.integer(s.pages ?? 0)])
        summary.add(["free pages", "\(Format.integer(s.freePages ?? 0)) (\(ByteCount.text((s.freePages ?? 0) * pageSize)))"])
        summary.add(["commits", Format.integer(s.commits ?? 0)])
        summary.add(["last commit", Format.milliseconds(Double(s.lastCommitMs ?? 0))])
        summary.add(["avg commit", Format.milliseconds(s.avgCommitMs ?? 0)])
        summary.add(["avg batch", Format.decimal(s.avgBatchSize ?? 0)])
        var trees = Table(columns: ["tree", "keys", "pages", "depth"], rightAligned: [1, 2, 3])
        for t in s.trees {
            trees.add([t.name ?? "", Format.integer(t.keys ?? 0), Format.integer(t.pages ?? 0),
                       Format.integer(t.depth ?? 0)])
        }
        return summary.render() + "\n\n" + trees.render()
    }

    /// A one-message answer: JSON as is, CSV as one flat row, table as name/value lines.
    static func single<Answer: WireMessage>(_ answer: Answer, format: OutputFormat, _ pairs: () -> [(String, String)]) throws -> String {
        switch format {
        case .json: return JSONRender.object(answer) + "\n"
        case .csv: return AnswerView<Answer>(table: { _, _ in "" }).csv(answer)
        case .table:
            var t = Table(columns: ["field", "value"])
            for (name, value) in pairs() { t.add([name, value]) }
            return t.render() + "\n"
        }
    }

    /// Follows a Progress stream with a progress display; answers the final message.
    static func follow(_ stream: AsyncThrowingStream<V1.Progress, Error>, label: String) async throws -> V1.Progress {
        let display = ProgressDisplay(label)
        var last = V1.Progress()
        do {
            for try await p in stream {
                last = p
                display.update(done: p.done ?? 0, total: p.total ?? 0)
            }
        } catch {
            display.finish()
            throw error
        }
        display.finish()
        return last
    }
}
