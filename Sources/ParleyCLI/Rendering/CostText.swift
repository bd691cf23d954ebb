import ParleyWire

/// A `Money` message as people read it: the priced amount, and the tokens that could not
/// be priced flagged next to it, because showing them as $0 would understate the cost.
enum CostText {
    static func text(_ money: V1.Money?) -> String {
        let nanos = money?.nanos ?? 0
        let unpriced = money?.unpricedTokens ?? 0
        let amount = Format.money(nanos: nanos)
        return unpriced > 0 ? "\(amount) + \(Format.integer(unpriced)) unpriced tokens" : amount
    }

    /// Nano-dollars as exact decimal dollars, "1234.567890123", for CSV and export.
    static func dollars(nanos: Int64) -> String {
        let sign = nanos < 0 ? "-" : ""
        let n = nanos.magnitude
        let fraction = String(n % 1_000_000_000)
        return sign + String(n / 1_000_000_000) + "." + String(repeating: "0", count: 9 - fraction.count) + fraction
    }
}
