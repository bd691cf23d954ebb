import Foundation

/// The outcome of a replay: what `parley-load replay` prints, and `--json` writes.
public struct ReplaySummary: Sendable, Equatable, Codable {
    /// "open" or "closed": where latencies were measured from.
    public var loop: String
    public var calls: Int
    public var succeeded: Int
    public var failed: Int
    /// From the first intended send to the last answer.
    public var seconds: Double
    /// Calls per second the schedule asked for; nil when sending as fast as answered.
    public var intendedRate: Double?
    public var achievedRate: Double
    /// Failed calls by status name ("INVALID_ARGUMENT"), and "transport" for calls that
    /// got no answer at all.
    public var errorsByStatus: [String: Int]
    /// The first few transport errors, as text.
    public var transportErrors: [String]
    public var latency: LatencySummary
    /// With `--verify`: how the answers compared with the recorded ones.
    public var verify: VerifySummary? = nil

    public static let transportErrorKey = "transport"

    /// Failed calls over all calls, 0 when there were none.
    public var errorFraction: Double { calls == 0 ? 0 : Double(failed) / Double(calls) }

    /// Whether the replay stayed within `threshold`.
    public func verdict(_ threshold: ErrorThreshold) -> ReplayVerdict {
        errorFraction > threshold.maxFailedFraction
            ? .failed("\(failed) of \(calls) calls failed (\(Self.percent(errorFraction))), above the threshold of \(Self.percent(threshold.maxFailedFraction))")
            : .passed
    }

    /// Pretty-printed JSON with sorted keys, stable for scripts.
    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    /// With `--verify`: failed when mismatches exceed `maxMismatchFraction` of the
    /// answers compared, or when nothing could be compared at all.
    public func verifyVerdict(maxMismatchFraction: Double) -> ReplayVerdict {
        guard let verify else { return .passed }
        guard verify.compared > 0 else { return .failed(verify.note ?? "no answer was recorded for any request: nothing was compared") }
        let fraction = Double(verify.mismatches) / Double(verify.compared)
        return fraction > maxMismatchFraction
            ? .failed("\(verify.mismatches) of \(verify.compared) answers differ from the recorded ones (\(Self.percent(fraction))), above the threshold of \(Self.percent(maxMismatchFraction))")
            : .passed
    }

    static func percent(_ fraction: Double) -> String { String(format: "%.2f%%", fraction * 100) }

    enum CodingKeys: String, CodingKey {
        case loop, calls, succeeded, failed, seconds, latency, verify
        case intendedRate = "intended_rate"
        case achievedRate = "achieved_rate"
        case errorsByStatus = "errors_by_status"
        case transportErrors = "transport_errors"
    }
}
