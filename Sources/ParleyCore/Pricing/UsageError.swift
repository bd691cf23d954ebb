/// Why a provider's usage could not be normalised; each names the convention and the
/// provider's own field names, so the caller can see which number is wrong.
public enum UsageError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A count below zero.
    case negative(convention: UsageConvention, field: String, value: Int64)
    /// A count that the convention says is part of another is larger than it
    /// (cached_tokens > prompt_tokens, for instance).
    case partExceedsWhole(convention: UsageConvention, part: String, partValue: Int64, whole: String, wholeValue: Int64)
    /// The provider's total disagrees with the sum of its parts.
    case totalMismatch(convention: UsageConvention, field: String, given: Int64, sumOfParts: Int64)
    /// None of the convention's fields was present: probably another provider's usage.
    case noCounts(convention: UsageConvention, expected: [String])

    public var description: String {
        switch self {
        case .negative(let convention, let field, let value):
            return "\(convention.rawValue) usage: \(field) is \(value); token counts are 0 or more"
        case .partExceedsWhole(let convention, let part, let partValue, let whole, let wholeValue):
            return "\(convention.rawValue) usage: \(part) (\(partValue)) exceeds \(whole) (\(wholeValue)), which includes it in this convention; was the usage of another provider given?"
        case .totalMismatch(let convention, let field, let given, let sum):
            return "\(convention.rawValue) usage: \(field) is \(given) but its parts add up to \(sum)"
        case .noCounts(let convention, let expected):
            return "\(convention.rawValue) usage has none of \(expected.joined(separator: ", ")); is it another provider's usage?"
        }
    }
}
