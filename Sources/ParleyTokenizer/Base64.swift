/// Standard base64 (RFC 4648, with '=' padding) as the .tiktoken files use it, decoded
/// by hand because the vocabulary has 100k short tokens and Foundation's decoder would
/// allocate a Data for each.
enum Base64 {
    /// The 6-bit value of each ASCII byte, 0xFF for bytes outside the alphabet.
    private static let values: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (value, byte) in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8.enumerated() {
            table[Int(byte)] = UInt8(value)
        }
        return table
    }()

    /// Appends the bytes that `text[range]` encodes to `output`; nil when it is not valid
    /// base64 (wrong length, a byte outside the alphabet, misplaced padding).
    static func decode(_ text: [UInt8], _ range: Range<Int>, into output: inout [UInt8]) -> Bool {
        guard !range.isEmpty, range.count % 4 == 0 else { return false }
        var padding = 0
        if text[range.upperBound - 1] == UInt8(ascii: "=") { padding += 1 }
        if padding == 1, text[range.upperBound - 2] == UInt8(ascii: "=") { padding += 1 }
        var index = range.lowerBound
        while index < range.upperBound {
            var group: UInt32 = 0
            let isLast = index + 4 == range.upperBound
            let digits = isLast ? 4 - padding : 4
            for offset in 0..<4 {
                var value: UInt8 = 0
                if offset < digits {
                    value = values[Int(text[index + offset])]
                    if value == 0xFF { return false }
                }
                group = group << 6 | UInt32(value)
            }
            output.append(UInt8(truncatingIfNeeded: group >> 16))
            if digits > 2 { output.append(UInt8(truncatingIfNeeded: group >> 8)) }
            if digits > 3 { output.append(UInt8(truncatingIfNeeded: group)) }
            index += 4
        }
        return true
    }
}
