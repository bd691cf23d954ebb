/// Which rollup cells answer a span: the fewest aligned cells (`CellLevel`) such that
/// each lies inside one local bucket and holds no price change.
///
/// A cell is bucketed and priced at its start, so a coarse cell is exact only when
/// its whole span falls in one local bucket (day, hour, ...) and one price period. The
/// cover cuts the span at every bucket boundary and price change, then fills each
/// piece greedily with the coarsest cell that starts at the current point and ends
/// inside the piece: 15-minute cells up to the first hour, hours up to the first day,
/// days up to the first month, months, and back down at the other end. A 30-day UTC
/// window is about 30 day cells (plus its edge hours and quarters) instead of 2,880
/// quarters; a local day in Asia/Kolkata (starting at hh:30 UTC) is 4 quarters and 23 hours.
public enum CellCover {
    /// A run of adjacent cells of one level: one range scan of that level's trees.
    public struct Run: Sendable, Equatable {
        public var level: CellLevel
        public var window: TimeWindow

        public init(level: CellLevel, window: TimeWindow) {
            self.level = level
            self.window = window
        }
    }

    /// The runs covering `spans` (sorted, disjoint, on the 15-minute grid), none
    /// crossing a time of `cuts` (bucket boundaries, price changes; any order). A cut
    /// off the grid is moved up to the next cell edge: the quarter cell holding it is
    /// bucketed and priced at its start, as it would be without coarse cells.
    public static func runs(covering spans: [TimeWindow], cuts: [Millis]) -> [Run] {
        let edges = cuts.map(CellGrid.ceiling).sorted()
        var runs: [Run] = []
        var nextEdge = 0
        for span in spans {
            var point = span.since
            while point < span.until {
                while nextEdge < edges.count, edges[nextEdge] <= point { nextEdge += 1 }
                let pieceEnd = nextEdge < edges.count ? min(edges[nextEdge], span.until) : span.until
                while point < pieceEnd {
                    var level = CellLevel.quarter
                    var end = point + CellGrid.span
                    for candidate in CellLevel.coarsestFirst where candidate != .quarter && candidate.isStart(point) {
                        let candidateEnd = candidate.end(ofCellAt: point)
                        if candidateEnd <= pieceEnd {
                            level = candidate
                            end = candidateEnd
                            break
                        }
                    }
                    if let last = runs.last, last.level == level, last.window.until == point {
                        runs[runs.count - 1].window.until = end
                    } else {
                        runs.append(Run(level: level, window: TimeWindow(since: point, until: end)))
                    }
                    point = end
                }
            }
        }
        return runs
    }
}
