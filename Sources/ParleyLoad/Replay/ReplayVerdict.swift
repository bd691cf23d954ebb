/// Whether a replay stayed within its `ErrorThreshold`; the CLI exits non-zero on `.failed`.
public enum ReplayVerdict: Sendable, Equatable {
    case passed
    case failed(String)
}
