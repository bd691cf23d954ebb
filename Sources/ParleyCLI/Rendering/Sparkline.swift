/// A row of block characters, one per value, scaled to the largest: the shape of a trend
/// in one line, so several models' trends can be compared down a column.
enum Sparkline {
    static let levels: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    static func render(_ values: [Int64]) -> String {
        guard let top = values.max(), top > 0 else { return String(repeating: " ", count: values.count) }
        return String(values.map { v -> Character in
            if v <= 0 { return " " }
            // A non-zero value always shows at least the lowest block, so activity is never hidden.
            let index = Int((Double(v) / Double(top) * Double(levels.count - 1)).rounded())
            return levels[max(0, min(levels.count - 1, index))]
        })
    }
}
