import Foundation

/// Reads a file line by line without loading it whole, counting lines and bytes so
/// rejections can name their line and progress can show how far along the file is.
final class LineReader {
    private let handle: FileHandle
    private var buffer = Data()
    private var atEnd = false
    /// 1-based number of the line `next()` returned last.
    private(set) var lineNumber = 0
    private(set) var bytesRead: Int64 = 0
    let totalBytes: Int64

    init(path: String) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw CLIError.usage("cannot open \(path) for reading; check the path and its permissions")
        }
        self.handle = handle
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value
        totalBytes = size ?? 0
    }

    deinit { try? handle.close() }

    /// The next line without its line ending ("\n" or "\r\n"), or nil at the end.
    func next() throws -> String? {
        while true {
            if let newline = buffer.firstIndex(of: 0x0A) {
                var line = buffer[buffer.startIndex..<newline]
                buffer = buffer[(newline + 1)...]
                bytesRead += Int64(line.count + 1)
                if line.last == 0x0D { line = line.dropLast() }
                lineNumber += 1
                return String(decoding: line, as: UTF8.self)
            }
            if atEnd {
                guard !buffer.isEmpty else { return nil }
                let line = buffer
                buffer = Data()
                bytesRead += Int64(line.count)
                lineNumber += 1
                return String(decoding: line.last == 0x0D ? line.dropLast() : line, as: UTF8.self)
            }
            let chunk = try handle.read(upToCount: 1 << 20) ?? Data()
            if chunk.isEmpty { atEnd = true } else { buffer.append(chunk) }
        }
    }
}
