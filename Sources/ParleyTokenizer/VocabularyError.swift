/// Why a vocabulary file could not be loaded; each case names the file and, where it
/// applies, the line, so the user can fix or reinstall it (`Tools/install-vocab`).
public enum VocabularyError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No file at the path.
    case notFound(path: String)
    /// The file exists but could not be read (permissions, a directory, an I/O error).
    case unreadable(path: String, reason: String)
    /// A line is not "<base64 token> <decimal rank>".
    case malformedLine(path: String, line: Int, reason: String)
    /// The file parsed but is not a usable byte-level BPE vocabulary.
    case incomplete(path: String, reason: String)

    public var description: String {
        switch self {
        case .notFound(let path):
            return "vocabulary \(path): no such file; run Tools/install-vocab to install cl100k_base.tiktoken"
        case .unreadable(let path, let reason):
            return "vocabulary \(path): cannot be read: \(reason)"
        case .malformedLine(let path, let line, let reason):
            return "vocabulary \(path), line \(line): \(reason); expected \"<base64 token> <rank>\" (reinstall with Tools/install-vocab)"
        case .incomplete(let path, let reason):
            return "vocabulary \(path): \(reason) (reinstall with Tools/install-vocab)"
        }
    }
}
