/// One row of a report reduced to what every system must agree on: counts and token
/// sums exactly, money and averages within rounding.
struct AnswerRow: Equatable, CustomStringConvertible {
    var key: String
    var exact: [Double]
    var approx: [Double]

    init(_ key: String, exact: [Double], approx: [Double] = []) {
        self.key = key
        self.exact = exact
        self.approx = approx
    }

    var description: String { "\(key): \(exact) ~\(approx)" }

    /// Parley keeps money in nano-dollars per rollup cell, SQL engines sum doubles:
    /// agreement to a millionth (relative) is agreement up to rounding.
    func agrees(with other: AnswerRow) -> Bool {
        key == other.key && exact == other.exact && approx.count == other.approx.count
            && zip(approx, other.approx).allSatisfy { abs($0 - $1) <= 1e-6 * max(1, abs($0), abs($1)) }
    }

    /// nil when both answers have the same rows (in any order), else the first difference.
    static func difference(_ a: [AnswerRow], _ b: [AnswerRow]) -> String? {
        guard a.count == b.count else { return "\(a.count) rows against \(b.count)" }
        let byKey = Dictionary(b.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        for row in a {
            guard let other = byKey[row.key] else { return "row \(row.key) missing" }
            if !row.agrees(with: other) { return "\(row) against \(other)" }
        }
        return nil
    }
}
