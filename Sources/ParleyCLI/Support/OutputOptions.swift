import ArgumentParser

/// How a command prints its answer.
public enum OutputFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    case table, json, csv
}

public struct OutputOptions: ParsableArguments {
    @Option(help: "table (aligned, for people), json (stable, for scripts) or csv.")
    public var format: OutputFormat = .table

    public init() {}
}
