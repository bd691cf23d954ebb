import ParleyCore

/// Counts the tokens of text exactly when the vocabulary is installed, and otherwise with
/// `TokenEstimator`'s estimate, saying which: so a server without the vocabulary still
/// counts, and reports that its counts are estimates.
public struct TextTokenCounter: Sendable {
    public enum Method: Sendable, Equatable {
        /// Exact cl100k_base counts.
        case counted
        /// `TokenEstimator` estimates, because the vocabulary could not be loaded.
        case estimated(because: VocabularyError)
    }

    public let method: Method
    private var encoder: TokenEncoder?

    public init(tokenizer: Tokenizer) {
        method = .counted
        encoder = TokenEncoder(tokenizer)
    }

    /// Loads the vocabulary at `path`, falling back to estimates when that fails.
    public init(vocabularyAt path: String) {
        do {
            encoder = TokenEncoder(try Tokenizer(contentsOf: path))
            method = .counted
        } catch {
            encoder = nil
            method = .estimated(because: error)
        }
    }

    public mutating func count(_ text: String) -> Int64 {
        // Optional chaining mutates the encoder in place, keeping its buffers unshared.
        if let exact = encoder?.count(text) { return Int64(exact) }
        return TokenEstimator.estimate(text)
    }
}
