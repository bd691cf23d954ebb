import ArgumentParser
import Foundation
import ParleyWire

/// Which organization and which time window a question is about.
public struct ScopeOptions: ParsableArguments {
    @Option(help: "Organization id (default: PARLEY_ORG, then org = ... in ~/.config/parley/config).")
    public var org: String?

    @Option(help: ArgumentHelp("Start of the window: an age (30d, 12h), a date (2026-11-01) or a local time (2026-11-01T08:00).",
                               valueName: "time"))
    public var since: String = "30d"

    @Option(help: ArgumentHelp("End of the window, exclusive (default: now). Same forms as --since.", valueName: "time"))
    public var until: String?

    @Option(help: ArgumentHelp("IANA time zone for days, hours and dates without an offset.", valueName: "zone"))
    public var tz: String = "UTC"

    public init() {}

    /// The organization to ask about, or a usage error saying how to name one.
    public func organization(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String {
        if let org, !org.isEmpty { return org }
        if let env = environment["PARLEY_ORG"], !env.isEmpty { return env }
        if let file = ConfigFile.load(environment: environment)["org"], !file.isEmpty { return file }
        throw CLIError.usage("no organization: pass --org ID, set PARLEY_ORG, or add org = ID to ~/.config/parley/config")
    }

    public func zone() throws -> TimeZone {
        do { return try TimeExpression.zone(tz) } catch { throw CLIError.usage(error.description) }
    }

    /// [since, until) in epoch ms; until nil means now.
    public func window(nowMs: Int64 = Int64(Date().timeIntervalSince1970 * 1000)) throws -> (since: Int64, until: Int64?) {
        let zone = try zone()
        do {
            let start = try TimeExpression.parse(since, timeZone: zone, nowMs: nowMs)
            let end = try until.map { try TimeExpression.parse($0, timeZone: zone, nowMs: nowMs) }
            if let end, end <= start {
                throw CLIError.usage("--until (\(until ?? "")) must be after --since (\(since))")
            }
            return (start, end)
        } catch let problem as TimeExpression.Problem {
            throw CLIError.usage(problem.description)
        }
    }

    /// The window as a TimeWindow message.
    public func windowMessage() throws -> V1.TimeWindow {
        let (start, end) = try window()
        return V1.TimeWindow(sinceMs: start, untilMs: end)
    }
}

/// Narrowing a question to some devices, models, personas or contacts.
public struct FilterOptions: ParsableArguments {
    @Option(name: .customLong("device"), help: ArgumentHelp("Only these devices (repeat, or separate with commas).", valueName: "id"))
    public var devices: [String] = []
    @Option(name: .customLong("model"), help: ArgumentHelp("Only these models.", valueName: "name"))
    public var models: [String] = []
    @Option(name: .customLong("persona"), help: ArgumentHelp("Only these personas.", valueName: "id"))
    public var personas: [String] = []
    @Option(name: .customLong("contact"), help: ArgumentHelp("Only these contacts.", valueName: "id"))
    public var contacts: [String] = []

    public init() {}

    /// DimensionFilter messages, one per dimension named on the command line.
    public func messages() -> [V1.DimensionFilter] {
        let pairs: [(DimensionName, [String])] = [(.device, devices), (.model, models), (.persona, personas), (.contact, contacts)]
        return pairs.compactMap { dimension, raw in
            let values = raw.flatMap { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }.filter { !$0.isEmpty }
            guard !values.isEmpty else { return nil }
            return V1.DimensionFilter(dimension: dimension.wire, values: values)
        }
    }
}
