import ArgumentParser

/// Benchmarks, one subcommand per suite; each prints a table and writes
/// .bench/<suite>.json comparing Parley with a peer.
@main
struct ParleyBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parley-bench",
        abstract: "Parley benchmarks against peer systems",
        subcommands: [StorageSuite.self]
    )
}
