import ParleyWire

/// Why a capture could not be written or read. Read errors name the part and the byte
/// offset of the record that failed, so an operator can cut the file there.
public enum CaptureError: Error, Sendable, Equatable, CustomStringConvertible {
    case cannotOpen(path: String, reason: String)
    case alreadyExists(path: String)
    case invalidLimits(String)
    case writeFailed(path: String, reason: String)
    /// Only REQUEST and RESPONSE frames are captured: HELLO carries the API key.
    case notARequest(FrameType)
    /// Larger than any server accepts, so a reader would take it for corruption.
    case frameTooLarge(bytes: Int)
    case notACapture(path: String)
    case unsupportedVersion(path: String, version: UInt8)
    /// The file ends inside the record (or header) starting at `offset`.
    case truncated(path: String, offset: Int, needed: Int, available: Int)
    /// The record starting at `offset` fails its checksum or does not hold a request frame.
    case corrupt(path: String, offset: Int, reason: String)
    /// The parts found next to a capture do not belong together.
    case mismatchedParts(path: String, reason: String)

    /// The byte offset a read error points at, nil for other errors.
    public var offset: Int? {
        switch self {
        case .truncated(_, let offset, _, _), .corrupt(_, let offset, _): return offset
        default: return nil
        }
    }

    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason):
            return "cannot open \(path): \(reason)"
        case .alreadyExists(let path):
            return "\(path) already exists; remove it (and its rotated parts) or choose another file name"
        case .invalidLimits(let reason):
            return "invalid capture limits: \(reason)"
        case .writeFailed(let path, let reason):
            return "cannot write \(path): \(reason)"
        case .notARequest(let type):
            return "only REQUEST and RESPONSE frames are captured, not \(type) (HELLO would carry the API key)"
        case .frameTooLarge(let bytes):
            return "a frame of \(bytes) bytes is larger than a capture record holds (\(CaptureFormat.maxFrameBytes))"
        case .notACapture(let path):
            return "\(path) is not a Parley capture (it does not start with \"PLCP\")"
        case .unsupportedVersion(let path, let version):
            return "\(path) is capture format version \(version); this build reads versions \(CaptureFormat.readableVersions.lowerBound) to \(CaptureFormat.readableVersions.upperBound)"
        case .truncated(let path, let offset, let needed, let available):
            return "\(path) is truncated at byte offset \(offset): the record there needs \(needed) bytes, the file holds \(available) more"
        case .corrupt(let path, let offset, let reason):
            return "\(path) is corrupt at byte offset \(offset): \(reason)"
        case .mismatchedParts(let path, let reason):
            return "the parts of \(path) do not belong together: \(reason)"
        }
    }
}
