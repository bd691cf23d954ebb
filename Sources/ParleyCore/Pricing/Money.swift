/// An exact amount of US dollars in integer nano-dollars (1e-9 USD), so sums of many
/// small costs never drift the way floating point would.
public struct Money: Sendable, Equatable, Hashable, Comparable, CustomStringConvertible {
    public var nanos: Int64

    public init(nanos: Int64) {
        self.nanos = nanos
    }

    public static let zero = Money(nanos: 0)
    public static let nanosPerDollar: Int64 = 1_000_000_000

    public static func < (a: Money, b: Money) -> Bool { a.nanos < b.nanos }

    /// Saturating, because a report total that clamps is better than a crash, and
    /// 9.2 billion dollars of tokens is beyond any real deployment.
    public static func + (a: Money, b: Money) -> Money {
        let (sum, overflow) = a.nanos.addingReportingOverflow(b.nanos)
        return overflow ? Money(nanos: b.nanos < 0 ? .min : .max) : Money(nanos: sum)
    }

    /// "$2.500000000": every digit, since callers compare these exactly.
    public var description: String {
        let sign = nanos < 0 ? "-" : ""
        let magnitude = nanos.magnitude
        let fraction = String(magnitude % UInt64(Self.nanosPerDollar))
        return "\(sign)$\(magnitude / UInt64(Self.nanosPerDollar)).\(String(repeating: "0", count: 9 - fraction.count))\(fraction)"
    }
}

/// What some usage cost: the priced part in money, and the tokens of models that have
/// no price, kept apart so an unknown model never reads as free.
public struct Cost: Sendable, Equatable, Hashable {
    public var priced: Money
    public var unpricedTokens: Int64

    public init(priced: Money = .zero, unpricedTokens: Int64 = 0) {
        self.priced = priced
        self.unpricedTokens = unpricedTokens
    }

    public static let zero = Cost()

    public var isFullyPriced: Bool { unpricedTokens == 0 }

    public static func + (a: Cost, b: Cost) -> Cost {
        let (tokens, overflow) = a.unpricedTokens.addingReportingOverflow(b.unpricedTokens)
        return Cost(priced: a.priced + b.priced, unpricedTokens: overflow ? .max : tokens)
    }

    public static func += (a: inout Cost, b: Cost) {
        a = a + b
    }
}
