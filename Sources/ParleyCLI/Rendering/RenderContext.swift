import Foundation

/// What a table view needs besides the answer: the zone to show times in, the width for
/// charts, and whether charts are wanted.
public struct RenderContext: Sendable {
    public var zone: TimeZone
    public var width: Int
    public var charts: Bool

    public init(zone: TimeZone = TimeZone(identifier: "UTC") ?? .current, width: Int = 80, charts: Bool = true) {
        self.zone = zone
        self.width = width
        self.charts = charts
    }

    /// The zone's name as people typed it; Foundation on Linux calls UTC "GMT".
    public var zoneName: String { zone.identifier == "GMT" ? "UTC" : zone.identifier }
}
