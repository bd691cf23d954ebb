/// Colour for a table view's text on a terminal that takes it: column headers bold, their
/// rules dim, and "unpriced" in yellow so money that could not be counted stands out.
/// Applied after layout, so escape codes never disturb column widths.
enum Highlight {
    static func apply(_ text: String) -> String {
        let lines = text.components(separatedBy: "\n")
        var out: [String] = []
        for (i, line) in lines.enumerated() {
            let next = i + 1 < lines.count ? lines[i + 1] : ""
            if isRule(line) {
                out.append(style(line, "2"))
            } else if isRule(next) {
                out.append(style(line, "1"))
            } else {
                out.append(line.replacingOccurrences(of: "unpriced", with: style("unpriced", "33")))
            }
        }
        return out.joined(separator: "\n")
    }

    /// A table's rule under its header: dashes and the spaces between columns.
    private static func isRule(_ line: String) -> Bool {
        line.hasPrefix("-") && line.allSatisfy { $0 == "-" || $0 == " " }
    }

    private static func style(_ text: String, _ code: String) -> String {
        "\u{1B}[\(code)m\(text)\u{1B}[0m"
    }
}
