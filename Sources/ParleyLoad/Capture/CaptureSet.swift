/// All parts of one capture (FILE and its rotated FILE.n), read oldest first, so the
/// records come in the order they were written.
public struct CaptureSet {
    public let paths: CapturePaths
    /// The parts' files, oldest first.
    public let parts: [String]
    /// The oldest part's header.
    public let header: CaptureHeader

    public init(path: String) throws(CaptureError) {
        paths = CapturePaths(path)
        let found = paths.existing()
        guard !found.isEmpty else { throw .cannotOpen(path: path, reason: "no such file") }
        var headers: [(path: String, header: CaptureHeader)] = []
        for file in found { headers.append((file, try CaptureReader(path: file).header)) }
        let start = headers[0].header.startMicros
        for h in headers where h.header.startMicros != start {
            throw .mismatchedParts(path: path, reason: "\(h.path) is from a capture started at a different time")
        }
        // Newest first on disk; the part numbers must count down by one.
        for (a, b) in zip(headers, headers.dropFirst()) where b.header.part + 1 != a.header.part {
            throw .mismatchedParts(path: path, reason: "\(b.path) is part \(b.header.part), expected part \(Int(a.header.part) - 1)")
        }
        parts = headers.reversed().map(\.path)
        // safe: `found` is not empty, so neither is `headers`.
        header = headers.last!.header
    }

    /// Every record of every part, oldest first, or the error of the first bad record:
    /// a replay reads the whole capture before it sends anything, so a damaged capture
    /// sends nothing at all.
    public func readAll() throws(CaptureError) -> [CaptureRecord] {
        var records: [CaptureRecord] = []
        for part in parts { records += try CaptureReader(path: part).readAll() }
        return records
    }

    /// Every record of every part, oldest first; throws at the first bad record, after
    /// `body` has seen the records before it.
    public func forEachRecord(_ body: (CaptureRecord) throws -> Void) throws {
        for part in parts {
            let reader = try CaptureReader(path: part)
            while let record = try reader.next() { try body(record) }
        }
    }
}
