/// tiktoken's cl100k_base encoding (GPT-3.5/GPT-4 family): its pre-tokenisation pattern
/// and byte-level BPE over a vocabulary loaded from cl100k_base.tiktoken. Immutable and
/// shareable; encode through a `TokenEncoder`, which holds the per-thread scratch.
public struct Tokenizer: Sendable {
    public let vocabulary: Vocabulary

    public init(vocabulary: Vocabulary) {
        self.vocabulary = vocabulary
    }

    /// Loads the vocabulary file at `path`.
    public init(contentsOf path: String) throws(VocabularyError) {
        vocabulary = try Vocabulary.load(contentsOf: path)
    }

    /// The bytes the ids stand for (ids outside the vocabulary are skipped).
    public func decode(_ ids: [UInt32]) -> [UInt8] {
        var bytes: [UInt8] = []
        for id in ids {
            if let token = vocabulary.ranks.token(id) { bytes.append(contentsOf: token) }
        }
        return bytes
    }
}
