import ArgumentParser

/// Runs Parley and its peers side by side and reports ratios (Tools/bench SUITE).
@main
struct ParleyBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parley-bench",
        abstract: "Benchmarks Parley against its peers in the same run; writes .bench/SUITE.json.",
        subcommands: [RPCBench.self])
}
