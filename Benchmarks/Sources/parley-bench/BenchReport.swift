import Foundation

/// One measured comparison. `ratio` > 1 means Parley is ahead.
struct BenchResult {
    var name: String
    var unit: String
    var parley: Double
    var peer: String
    var peer_value: Double
    var ratio: Double

    /// For rates (higher is better).
    static func rate(_ name: String, unit: String, parley: Double, peer: String, peerValue: Double) -> BenchResult {
        BenchResult(name: name, unit: unit, parley: parley, peer: peer, peer_value: peerValue, ratio: parley / peerValue)
    }

    /// For times and sizes (lower is better).
    static func cost(_ name: String, unit: String, parley: Double, peer: String, peerValue: Double) -> BenchResult {
        BenchResult(name: name, unit: unit, parley: parley, peer: peer, peer_value: peerValue, ratio: peerValue / parley)
    }
}

struct BenchReport {
    var suite: String
    var results: [BenchResult]

    func printTable() {
        let header = ["benchmark", "unit", "parley", "peer", "peer value", "ratio"]
        var rows = [header]
        for r in results {
            rows.append([r.name, r.unit, format(r.parley), r.peer, format(r.peer_value),
                         r.ratio.isFinite ? String(format: "%.2fx", r.ratio) : "n/a"])  // 0/0: neither side has a figure
        }
        let widths = (0..<header.count).map { c in rows.map { $0[c].count }.max() ?? 0 }
        for (i, row) in rows.enumerated() {
            print(row.enumerated().map { c, cell in
                c == 0 || c == 1 || c == 3 ? cell.padding(toLength: widths[c], withPad: " ", startingAt: 0)
                    : String(repeating: " ", count: widths[c] - cell.count) + cell
            }.joined(separator: "  "))
            if i == 0 { print(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")) }
        }
    }

    private func format(_ v: Double) -> String {
        v >= 100 ? String(format: "%.0f", v) : String(format: "%.2f", v)
    }

    func write(to path: String) throws {
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        // Written by hand so the keys keep the documented order.
        func quote(_ s: String) throws -> String {
            String(decoding: try JSONEncoder().encode(s), as: UTF8.self)
        }
        func number(_ v: Double) -> String { v.isFinite ? String(v) : "null" }
        var lines: [String] = []
        for r in results {
            lines.append("    {\"name\": \(try quote(r.name)), \"unit\": \(try quote(r.unit)), \"parley\": \(number(r.parley)), "
                + "\"peer\": \(try quote(r.peer)), \"peer_value\": \(number(r.peer_value)), \"ratio\": \(number(r.ratio))}")
        }
        let text = "{\"suite\": \(try quote(suite)), \"results\": [\n" + lines.joined(separator: ",\n") + "\n]}\n"
        try text.write(to: url, atomically: true, encoding: .utf8)
    }
}

/// Monotonic seconds for `body`.
func measure(_ body: () throws -> Void) rethrows -> Double {
    var start = timespec(), end = timespec()
    clock_gettime(CLOCK_MONOTONIC, &start)
    try body()
    clock_gettime(CLOCK_MONOTONIC, &end)
    return Double(end.tv_sec - start.tv_sec) + Double(end.tv_nsec - start.tv_nsec) / 1e9
}
