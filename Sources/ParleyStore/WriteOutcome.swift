/// Whether a write stored something new or recognised a retry of a stored write.
public enum WriteOutcome: Sendable, Equatable {
    case stored
    case duplicate
}
