/// How much disk a capture may take: parts of at most `maxPartBytes` (a part always
/// takes at least one record, so one record larger than that makes a larger part), and
/// at most `maxParts` of them, the oldest deleted first.
public struct CaptureLimits: Sendable, Equatable {
    public var maxPartBytes: Int
    public var maxParts: Int

    public init(maxPartBytes: Int = 256 * 1024 * 1024, maxParts: Int = 8) {
        self.maxPartBytes = maxPartBytes
        self.maxParts = maxParts
    }

    func validate() throws(CaptureError) {
        guard maxParts >= 1 else { throw .invalidLimits("keep at least 1 part, not \(maxParts)") }
        guard maxPartBytes > CaptureFormat.headerSize + CaptureFormat.recordOverhead + 20 else {
            throw .invalidLimits("a part of \(maxPartBytes) bytes cannot hold its header and one record")
        }
    }
}
