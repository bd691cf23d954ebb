import ParleyWire

/// The answers a capture recorded (format version 2), paired with the requests they
/// answered: a RESPONSE record answers the latest earlier REQUEST of the same recorded
/// connection and call id. Streamed calls' intermediate frames (flag `more`) are not
/// recorded; their final frame is.
struct RecordedAnswers: Sendable {
    /// By request: its index among the capture's requests, and the answer recorded.
    let byRequest: [Int: CallAnswer]

    init(_ records: [CaptureRecord]) {
        var open: [UInt64: Int] = [:]
        var answers: [Int: CallAnswer] = [:]
        var requestIndex = 0
        for record in records {
            let key = UInt64(record.connection) << 32 | UInt64(record.frame.callID)
            switch record.frame.type {
            case .request:
                open[key] = requestIndex
                requestIndex += 1
            case .response where !record.frame.flags.contains(.more):
                if let request = open.removeValue(forKey: key) {
                    answers[request] = CallAnswer(status: StatusCode(rawValue: record.frame.code) ?? .unknown, body: record.frame.body)
                }
            default:
                break
            }
        }
        byRequest = answers
    }
}
