import ArgumentParser
import Foundation
import ParleyClient

struct PingCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ping",
        abstract: "Measure round-trip times to the server.",
        discussion: "Example: parley ping --count 5")

    @OptionGroup var connection: ConnectionOptions

    @Option(help: "How many pings to send.")
    var count = 4

    func run() async throws {
        try await CLIRun.withClient(connection) { client in
            let welcome = try await client.connect()
            Terminal.current.line("connected to parleyd \(welcome.serverVersion) at \(client.configuration.host):\(client.configuration.port)")
            var times: [Double] = []
            for i in 1...max(1, count) {
                let ns = try await client.ping()
                let ms = Double(ns) / 1_000_000
                times.append(ms)
                Terminal.current.line("ping \(i): \(Format.milliseconds(ms))")
            }
            let sorted = times.sorted()
            Terminal.current.line("min \(Format.milliseconds(sorted[0])), median \(Format.milliseconds(sorted[sorted.count / 2])), max \(Format.milliseconds(sorted[sorted.count - 1]))")
        }
    }
}
