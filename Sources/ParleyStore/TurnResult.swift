import ParleyCore

/// The outcome of one turn of a `logTurns` call.
public enum TurnResult: Sendable {
    /// Stored (or recognised as a retry), with the session's metrics after it.
    case accepted(Turn, WriteOutcome, SessionMetrics)
    /// Invalid; nothing of it was stored.
    case rejected(ValidationError)
    /// The turn id is taken by a turn with different content (RPC: ALREADY_EXISTS).
    case conflict(String)
    /// The batch this turn was committed in failed (storage error, or the store closed);
    /// nothing of it was stored and it is safe to retry.
    case failed(StoreError)
}
