/// What `replay --verify` found: answers compared with the recorded ones
/// (AnswerComparison), and how many differed.
public struct VerifySummary: Sendable, Equatable, Codable {
    public var compared: Int
    public var mismatches: Int
    /// Requests the capture holds no answer for (recorded before answers were, or cut
    /// off by a rotation or a stop).
    public var withoutRecordedAnswer: Int
    /// The first few differences, as text.
    public var examples: [String]
    /// Why nothing could be compared, when so.
    public var note: String?

    enum CodingKeys: String, CodingKey {
        case compared, mismatches, examples, note
        case withoutRecordedAnswer = "without_recorded_answer"
    }
}
