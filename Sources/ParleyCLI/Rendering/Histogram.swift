/// Vertical bars side by side, one column per bucket, with the bucket labels below: the
/// shape of a day by hour, read at a glance.
struct Histogram {
    let labels: [String]
    let values: [Int64]

    /// `height` rows of bars, a baseline, and labels. Each bucket takes `columnWidth`
    /// characters, so 24 hours fit in 72 columns.
    func render(height: Int = 8, columnWidth: Int = 3) -> String {
        let top = max(1, values.max() ?? 0)
        let eighths = values.map { Int((Double(max(0, $0)) / Double(top) * Double(height * 8)).rounded()) }
        var lines: [String] = []
        let scale = Format.integer(top)
        for level in stride(from: height - 1, through: 0, by: -1) {
            var line = ""
            for e in eighths {
                let fill = e - level * 8
                let ch: Character = fill >= 8 ? "█" : fill > 0 ? Histogram.partial[fill] : " "
                line += String(repeating: " ", count: columnWidth - 2) + String(repeating: ch, count: 2)
            }
            if level == height - 1 { line += "  " + scale }
            lines.append(line.trimmingTrailingSpaces)
        }
        lines.append(String(repeating: "─", count: labels.count * columnWidth))
        lines.append(labels.map { label in
            String(repeating: " ", count: max(0, columnWidth - label.count)) + label
        }.joined().trimmingTrailingSpaces)
        return lines.joined(separator: "\n")
    }

    /// Eighths of a block from the bottom up.
    private static let partial: [Character] = [" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇"]
}
