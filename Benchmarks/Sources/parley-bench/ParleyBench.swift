import ArgumentParser
import ParleyWire

/// Benchmarks, one subcommand per suite; each runs Parley and its peer in the same run,
/// prints a table and writes .bench/<suite>.json (ratio > 1: Parley is ahead).
@main
struct ParleyBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parley-bench",
        abstract: "Parley benchmarks against peer systems",
        version: ParleyVersion.string,
        subcommands: [RPCBench.self, StorageSuite.self, IngestBench.self, WriterBench.self, QueriesBench.self, LoadBench.self, ImportBench.self, HammerCommand.self]
    )
}
