/// Where a turn's token counts came from, so reports and users can tell reported
/// counts from Parley's own.
public enum TokenCountMethod: Sendable, Equatable, Hashable, CaseIterable {
    /// The caller (its provider) reported them.
    case given
    /// Counted from the text with the cl100k_base tokenizer.
    case counted
    /// Estimated from characters (`TokenEstimator`): no vocabulary was installed.
    case estimated
}
