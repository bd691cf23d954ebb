/// Counts the tokens of a turn's text when the caller sent no counts. The server plugs
/// in the cl100k_base tokenizer when its vocabulary is installed; without one intake
/// falls back to `EstimatingTokenCounter`.
public protocol TurnTokenCounter: Sendable {
    /// `.counted` or `.estimated`: what the counts of this counter are.
    var method: TokenCountMethod { get }
    func count(_ text: String) -> Int64
}

/// `TokenEstimator`'s character estimate, the counter of last resort.
public struct EstimatingTokenCounter: TurnTokenCounter {
    public init() {}
    public var method: TokenCountMethod { .estimated }
    public func count(_ text: String) -> Int64 { TokenEstimator.estimate(text) }
}
