/// cl100k_base's pre-tokenisation, the regular expression
///
///     '(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+|\s++$|\s*[\r\n]|\s+(?!\S)|\s
///
/// written out by hand over the UTF-8 bytes of valid text: each alternative is tried in
/// order at the current position and the first that matches gives the piece, exactly as
/// the regex engine does (the possessive quantifiers never need to give back, so a
/// single forward scan per alternative is enough). BPE then runs on each piece alone.
struct PieceSplitter {
    let text: [UInt8]
    let end: Int
    /// `ScalarClass.ascii`, held here so the hot loop does not go through the lazy
    /// global's accessor for every byte.
    private let asciiClasses = ScalarClass.ascii

    init(_ text: [UInt8]) {
        self.text = text
        self.end = text.count
    }

    /// The class and UTF-8 length of the scalar starting at `index` (< end). The text is
    /// valid UTF-8 (it comes from a String), so the lead byte gives the length.
    @inline(__always)
    func scalar(at index: Int) -> (ScalarClass, Int) {
        let lead = text[index]
        if lead < 0x80 { return (asciiClasses[Int(lead)], 1) }
        return nonASCII(at: index, lead: lead)
    }

    private func nonASCII(at index: Int, lead: UInt8) -> (ScalarClass, Int) {
        let length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2
        // A truncated or malformed sequence cannot come from a String; classing it as
        // punctuation keeps the split total instead of trapping.
        guard index + length <= end else { return (.other, end - index) }
        var value = UInt32(lead) & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
        for offset in 1..<length {
            value = value << 6 | UInt32(text[index + offset] & 0x3F)
        }
        guard let scalar = Unicode.Scalar(value) else { return (.other, length) }
        return (ScalarClass.classify(scalar), length)
    }

    /// The end of the piece that starts at `start` (< end).
    func pieceEnd(from start: Int) -> Int {
        let (first, firstLength) = scalar(at: start)
        let next = start + firstLength

        // '(?i:[sdmt]|ll|ve|re)
        if text[start] == UInt8(ascii: "'"), next < end {
            switch text[next] | 0x20 {
            case UInt8(ascii: "s"), UInt8(ascii: "d"), UInt8(ascii: "m"), UInt8(ascii: "t"):
                return next + 1
            case UInt8(ascii: "l"):
                if next + 1 < end, text[next + 1] | 0x20 == UInt8(ascii: "l") { return next + 2 }
            case UInt8(ascii: "v"), UInt8(ascii: "r"):
                if next + 1 < end, text[next + 1] | 0x20 == UInt8(ascii: "e") { return next + 2 }
            default:
                break
            }
        }

        // [^\r\n\p{L}\p{N}]?+\p{L}++
        if first == .letter { return letterRun(from: next) }
        if first != .newline, first != .number, next < end {
            let (second, secondLength) = scalar(at: next)
            if second == .letter { return letterRun(from: next + secondLength) }
        }

        // \p{N}{1,3}+
        if first == .number {
            var index = next
            var digits = 1
            while digits < 3, index < end {
                let (kind, length) = scalar(at: index)
                guard kind == .number else { break }
                index += length
                digits += 1
            }
            return index
        }

        //  ?[^\s\p{L}\p{N}]++[\r\n]*+
        var punctuationStart = -1
        if first == .other {
            punctuationStart = start
        } else if first == .space, next < end, scalar(at: next).0 == .other {
            punctuationStart = next
        }
        if punctuationStart >= 0 {
            var index = punctuationStart
            while index < end {
                let (kind, length) = scalar(at: index)
                guard kind == .other else { break }
                index += length
            }
            while index < end, text[index] == UInt8(ascii: "\r") || text[index] == UInt8(ascii: "\n") { index += 1 }
            return index
        }

        // Only white space is left: \s++$ | \s*[\r\n] | \s+(?!\S) | \s
        var index = start
        var lastScalarStart = start
        var afterLastNewline = -1
        while index < end {
            let (kind, length) = scalar(at: index)
            guard kind.isWhitespace else { break }
            if kind == .newline { afterLastNewline = index + length }
            lastScalarStart = index
            index += length
        }
        if index == end { return end }
        if afterLastNewline >= 0 { return afterLastNewline }
        if lastScalarStart > start { return lastScalarStart }
        return next
    }

    @inline(__always)
    private func letterRun(from start: Int) -> Int {
        var index = start
        while index < end {
            let (kind, length) = scalar(at: index)
            guard kind == .letter else { break }
            index += length
        }
        return index
    }
}
