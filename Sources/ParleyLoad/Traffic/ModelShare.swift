/// A model and the share of turns it answers.
public struct ModelShare: Sendable, Equatable {
    public var model: String
    /// Relative weight; shares need not add up to 1.
    public var weight: Double
    /// Median input and output tokens of one of its turns.
    public var medianInputTokens: Double
    public var medianOutputTokens: Double

    public init(model: String, weight: Double, medianInputTokens: Double, medianOutputTokens: Double) {
        self.model = model
        self.weight = weight
        self.medianInputTokens = medianInputTokens
        self.medianOutputTokens = medianOutputTokens
    }
}
