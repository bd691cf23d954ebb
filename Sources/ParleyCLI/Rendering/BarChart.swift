/// Horizontal bars with labels and values, scaled to the widest: for a trend read by day.
struct BarChart {
    var rows: [(label: String, value: Int64, text: String)] = []

    mutating func add(_ label: String, _ value: Int64, text: String? = nil) {
        rows.append((label, value, text ?? Format.integer(value)))
    }

    /// Lines no wider than `width` characters.
    func render(width: Int) -> String {
        let labelWidth = rows.map(\.label.count).max() ?? 0
        let textWidth = rows.map(\.text.count).max() ?? 0
        let barSpace = max(10, width - labelWidth - textWidth - 4)
        let top = rows.map(\.value).max() ?? 0
        return rows.map { row in
            let cells = top > 0 ? Int((Double(max(0, row.value)) / Double(top) * Double(barSpace * 8)).rounded()) : 0
            let bar = String(repeating: "█", count: cells / 8) + (cells % 8 > 0 ? String(BarChart.partial[cells % 8]) : "")
            let label = row.label + String(repeating: " ", count: labelWidth - row.label.count)
            let pad = String(repeating: " ", count: textWidth - row.text.count)
            return "\(label)  \(pad)\(row.text)  \(bar)".trimmingTrailingSpaces
        }.joined(separator: "\n")
    }

    /// Eighths of a block, so short bars still differ.
    private static let partial: [Character] = [" ", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]
}
