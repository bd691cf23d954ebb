import Foundation
import ParleyCore

/// A `TextTokenCounter` that many callers share (the store's writer and CountTokens
/// calls): counting reuses one encoder's scratch buffers, so calls take turns.
public final class SharedTokenCounter: TurnTokenCounter, @unchecked Sendable {
    // @unchecked: `counter` is only read or mutated while `lock` is held.
    private let lock = NSLock()
    private var counter: TextTokenCounter
    public let method: TokenCountMethod
    /// Which vocabulary counts, or why the counts are estimates.
    public let summary: String

    /// Loads the vocabulary at `path`; without it every count is `TokenEstimator`'s.
    public init(vocabularyAt path: String) {
        counter = TextTokenCounter(vocabularyAt: path)
        switch counter.method {
        case .counted:
            method = .counted
            summary = "counted with cl100k_base from \(path)"
        case .estimated(let why):
            method = .estimated
            summary = "estimated from characters: \(why); run Tools/install-vocab or pass --vocab PATH"
        }
    }

    public func count(_ text: String) -> Int64 {
        lock.lock()
        defer { lock.unlock() }
        return counter.count(text)
    }
}
