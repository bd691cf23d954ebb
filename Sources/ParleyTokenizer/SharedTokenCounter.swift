import Foundation
import ParleyCore

/// A `TextTokenCounter` many callers share (RPC handlers counting turns before they
/// reach the store's writer, and CountTokens calls). Each count borrows a counter from a
/// small pool, so calls on different threads count in parallel, each with its own
/// scratch buffers (value types: a borrowed copy shares nothing mutable).
public final class SharedTokenCounter: TurnTokenCounter, @unchecked Sendable {
    // @unchecked: `idle` is only read or changed while `lock` is held; `prototype`,
    // `method` and `summary` are immutable.
    private let lock = NSLock()
    private var idle: [TextTokenCounter] = []
    private let prototype: TextTokenCounter
    /// Counters kept for reuse; more concurrent callers make fresh copies.
    private static let poolSize = 16
    public let method: TokenCountMethod
    /// Which vocabulary counts, or why the counts are estimates.
    public let summary: String

    /// Loads the vocabulary at `path`; without it every count is `TokenEstimator`'s.
    public init(vocabularyAt path: String) {
        prototype = TextTokenCounter(vocabularyAt: path)
        switch prototype.method {
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
        var counter = idle.popLast() ?? prototype
        lock.unlock()
        let tokens = counter.count(text)
        lock.lock()
        if idle.count < Self.poolSize { idle.append(counter) }
        lock.unlock()
        return tokens
    }
}
