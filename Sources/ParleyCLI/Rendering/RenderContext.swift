import ArgumentParser
import Foundation

/// How a trend is drawn in the table format.
public enum ChartStyle: String, CaseIterable, ExpressibleByArgument, Sendable {
    /// A sparkline per model (daily); the 24-bar histogram (hourly).
    case spark
    /// A bar per day with its total (daily); the 24-bar histogram (hourly).
    case bars
    case none
}

/// What a table view needs besides the answer: the zone to show times in, the width for
/// charts, which chart is wanted, and whether colour is allowed.
public struct RenderContext: Sendable {
    public var zone: TimeZone
    public var width: Int
    public var chart: ChartStyle
    public var color: Bool

    public init(zone: TimeZone = TimeZone(identifier: "UTC") ?? .current, width: Int = 80, chart: ChartStyle = .spark,
                color: Bool = false) {
        self.zone = zone
        self.width = width
        self.chart = chart
        self.color = color
    }

    /// A context for the current terminal: its width and whether it takes colour.
    public static func terminal(zone: TimeZone = TimeZone(identifier: "UTC") ?? .current, chart: ChartStyle = .spark) -> RenderContext {
        RenderContext(zone: zone, width: Terminal.current.width, chart: chart, color: Terminal.current.colorEnabled)
    }

    /// The zone's name as people typed it; Foundation on Linux calls UTC "GMT".
    public var zoneName: String { zone.identifier == "GMT" ? "UTC" : zone.identifier }
}
