/// A price typed as decimal US dollars ("2.50", "0.075", "10") read exactly into
/// nano-dollars, without passing through a binary floating point number that would turn
/// 0.1 into 0.1000000000000000055.
public enum DollarAmount {
    public enum Problem: Error, CustomStringConvertible {
        case unreadable(String)
        case tooPrecise(String)
        case tooLarge(String)

        public var description: String {
            switch self {
            case .unreadable(let s): return "\"\(s)\" is not an amount in dollars; write it like 2.50 or 0.075"
            case .tooPrecise(let s): return "\"\(s)\" has more than 9 decimals; prices are kept in nano-dollars"
            case .tooLarge(let s): return "\"\(s)\" is too large for a price"
            }
        }
    }

    /// "2.50" -> 2_500_000_000.
    public static func nanos(_ text: String) throws(Problem) -> Int64 {
        var s = Substring(text.trimmingCharacters(in: .whitespaces))
        if s.first == "$" { s = s.dropFirst() }
        let parts = s.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let whole = parts[0]
        let fraction = parts.count == 2 ? parts[1] : ""
        guard !(whole.isEmpty && fraction.isEmpty), whole.allSatisfy({ $0.isASCII && $0.isNumber }),
              fraction.allSatisfy({ $0.isASCII && $0.isNumber }) else { throw .unreadable(text) }
        guard fraction.count <= 9 else { throw .tooPrecise(text) }
        guard let dollars = Int64(whole.isEmpty ? "0" : String(whole)),
              let cents = Int64(fraction.isEmpty ? "0" : fraction + String(repeating: "0", count: 9 - fraction.count)) else {
            throw .tooLarge(text)
        }
        let (scaled, overflow) = dollars.multipliedReportingOverflow(by: 1_000_000_000)
        guard !overflow, scaled <= Int64.max - cents else { throw .tooLarge(text) }
        return scaled + cents
    }

    /// 2_500_000_000 -> "2.50": at least two decimals, more only when the price has them.
    public static func text(nanos: Int64) -> String {
        var s = CostText.dollars(nanos: nanos)
        while s.hasSuffix("0"), let dot = s.firstIndex(of: "."), s.distance(from: dot, to: s.endIndex) > 3 { s.removeLast() }
        return s
    }
}
