/// How far a running replay has come, for a progress line.
public struct ReplayProgress: Sendable, Equatable {
    public var sent: Int
    public var answered: Int
    public var failed: Int
}
