import Foundation

/// A byte-level BPE vocabulary in tiktoken's file format: one token per line, its bytes
/// in base64, a space and its rank (merge priority, and the token id). Ranks must be
/// 0..<count, each once, and every single byte must be a token, so any byte string can
/// be encoded.
public struct Vocabulary: Sendable {
    let ranks: RankTable

    /// The number of tokens.
    public var count: Int { ranks.count }

    /// Loads the file at `path` (cl100k_base.tiktoken, as `Tools/install-vocab` installs it).
    public static func load(contentsOf path: String) throws(VocabularyError) -> Vocabulary {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw .notFound(path: path)
        }
        guard !isDirectory.boolValue else { throw .unreadable(path: path, reason: "it is a directory") }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .unreadable(path: path, reason: error.localizedDescription)
        }
        return try parse([UInt8](data), path: path)
    }

    /// Parses the text of a vocabulary file; `path` only names it in errors.
    public static func parse(_ text: [UInt8], path: String) throws(VocabularyError) -> Vocabulary {
        var tokens: [[UInt8]?] = []
        var lineNumber = 0
        var lineStart = 0
        var scratch: [UInt8] = []
        while lineStart < text.count {
            var lineEnd = lineStart
            while lineEnd < text.count, text[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
            lineNumber += 1
            var contentEnd = lineEnd
            if contentEnd > lineStart, text[contentEnd - 1] == UInt8(ascii: "\r") { contentEnd -= 1 }
            defer { lineStart = lineEnd + 1 }
            if contentEnd == lineStart { continue }
            guard let space = text[lineStart..<contentEnd].firstIndex(of: UInt8(ascii: " ")) else {
                throw .malformedLine(path: path, line: lineNumber, reason: "no space between token and rank")
            }
            scratch.removeAll(keepingCapacity: true)
            guard Base64.decode(text, lineStart..<space, into: &scratch) else {
                throw .malformedLine(path: path, line: lineNumber, reason: "the token is not valid base64")
            }
            guard let rank = decimal(text[(space + 1)..<contentEnd]) else {
                throw .malformedLine(path: path, line: lineNumber, reason: "the rank is not a decimal number below 2^31")
            }
            if rank >= tokens.count {
                // A rank far beyond the line count is a gap the completeness check reports.
                guard rank < 1 << 21 else {
                    throw .malformedLine(path: path, line: lineNumber, reason: "rank \(rank) is beyond any vocabulary (at most 2M tokens)")
                }
                tokens.append(contentsOf: repeatElement(nil, count: rank + 1 - tokens.count))
            }
            guard tokens[rank] == nil else {
                throw .malformedLine(path: path, line: lineNumber, reason: "rank \(rank) is given twice")
            }
            tokens[rank] = scratch
        }
        guard !tokens.isEmpty else { throw .incomplete(path: path, reason: "the file has no tokens") }
        var complete: [[UInt8]] = []
        complete.reserveCapacity(tokens.count)
        var seen = Set<[UInt8]>()
        for (rank, token) in tokens.enumerated() {
            guard let token else { throw .incomplete(path: path, reason: "no token has rank \(rank); ranks must be 0..<count") }
            guard seen.insert(token).inserted else {
                throw .incomplete(path: path, reason: "the token of rank \(rank) appears twice")
            }
            complete.append(token)
        }
        for byte in 0...255 where !seen.contains([UInt8(byte)]) {
            throw .incomplete(path: path, reason: "byte 0x\(String(byte, radix: 16)) is not a token, so some text could not be encoded")
        }
        return Vocabulary(ranks: RankTable(tokens: complete))
    }

    private static func decimal(_ digits: ArraySlice<UInt8>) -> Int? {
        guard !digits.isEmpty, digits.count <= 10 else { return nil }
        var value = 0
        for digit in digits {
            guard digit >= UInt8(ascii: "0"), digit <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int(digit - UInt8(ascii: "0"))
        }
        return value < 1 << 31 ? value : nil
    }

    /// The bytes of the token `id`, nil for an id outside the vocabulary.
    public func bytes(of id: UInt32) -> [UInt8]? {
        ranks.token(id).map(Array.init)
    }
}
