import ArgumentParser
import Foundation
import ParleyWire

/// `parley-load`: makes and replays load (docs/LOAD.md). `replay` is the default, so
/// `parley-load FILE` replays a capture or an export as it always did.
public struct ParleyLoadCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "parley-load",
        abstract: "Generate traffic captures and replay captures or exports against a Parley server.",
        discussion: """
        Examples:
          parleyd --record day.plcp                        # record what clients send
          parley-load generate --seed 7 --days 1 --output day.plcp
          parley-load replay day.plcp --rate 2000          # open loop, latency from the intended send time
          parley-load replay day.plcp --speed 10           # the recorded pace, ten times faster
          parley-load replay day.plcp --connections 16 --in-flight 4   # closed loop, as fast as answered
          parley-load day.jsonl --rate 500                 # an export of turns (CSV or JSON lines)
        Replaying the same file twice stores nothing new: turn ids are idempotency keys.
        """,
        version: ParleyVersion.string,
        subcommands: [LoadReplayCommand.self, LoadGenerateCommand.self],
        defaultSubcommand: LoadReplayCommand.self)

    public init() {}

    public static func main() async {
        let code = await CommandRunner.run(ParleyLoadCommand.self, arguments: Array(CommandLine.arguments.dropFirst()),
                                           terminal: .standard())
        Foundation.exit(code)
    }
}
