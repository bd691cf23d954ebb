/// The share of failed calls above which a replay fails (`--max-error-rate`).
public struct ErrorThreshold: Sendable, Equatable {
    public var maxFailedFraction: Double

    public init(maxFailedFraction: Double) {
        self.maxFailedFraction = maxFailedFraction
    }

    /// No failure is acceptable.
    public static let none = ErrorThreshold(maxFailedFraction: 0)
}
