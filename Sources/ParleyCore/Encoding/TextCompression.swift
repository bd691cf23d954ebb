/// The byte-oriented LZ77 scheme stored turns use for their message and reply text.
///
/// Why a scheme of our own: chat text repeats itself (greetings, product names, whole
/// sentences a persona says in every reply), and a plain back-reference coder takes that
/// out at a few nanoseconds per byte, in safe Swift, with no per-call state to allocate
/// or share between threads and no C dependency. docs/STORAGE.md compares it with
/// deflate.
///
/// A packed stream is a run of steps, each `literal count` (varint), that many bytes, then
/// (unless the output is complete) `distance` (varint, 1...bytes produced so far) and
/// `match length − 4` (varint): copy that many bytes from `distance` back, overlapping
/// allowed. The stream ends exactly when the output reaches the length the record states.
public enum TextCompression {
    /// Shorter texts are stored as they are: a back-reference needs at least 4 repeated bytes.
    static let minimumInput = 24
    static let minimumMatch = 4
    private static let hashBits: UInt32 = 12

    /// The packed form of `bytes`, or nil when packing would not make it shorter.
    public static func compress(_ bytes: [UInt8]) -> [UInt8]? {
        let n = bytes.count
        guard n >= minimumInput else { return nil }
        var out = ByteWriter()
        out.reserve(n / 2 + 16)
        // Last position of each hashed 4-byte sequence; -1 when none yet.
        var table = [Int32](repeating: -1, count: 1 << Int(hashBits))
        var literalStart = 0
        var i = 0
        let lastMatchStart = n - minimumMatch
        while i <= lastMatchStart {
            let word = word4(bytes, i)
            let slot = Int((word &* 2_654_435_761) >> (32 - hashBits))
            let candidate = Int(table[slot])
            table[slot] = Int32(truncatingIfNeeded: i)
            guard candidate >= 0, word4(bytes, candidate) == word else {
                i += 1
                continue
            }
            var length = minimumMatch
            while i + length < n && bytes[candidate + length] == bytes[i + length] { length += 1 }
            out.writeVarint(UInt64(i - literalStart))
            out.append(bytes[literalStart..<i])
            out.writeVarint(UInt64(i - candidate))
            out.writeVarint(UInt64(length - minimumMatch))
            // Index the positions the match covers (a few at its end are enough to find
            // the next repeat of a repeated phrase).
            let end = i + length
            var p = max(i + 1, end - 8)
            while p < end && p <= lastMatchStart {
                table[Int((word4(bytes, p) &* 2_654_435_761) >> (32 - hashBits))] = Int32(truncatingIfNeeded: p)
                p += 1
            }
            i = end
            literalStart = i
            if out.count >= n { return nil }
        }
        if literalStart < n {
            out.writeVarint(UInt64(n - literalStart))
            out.append(bytes[literalStart..<n])
        }
        return out.count < n ? out.bytes : nil
    }

    /// Unpacks exactly `count` bytes from `packed`; anything else is a `DecodeError`.
    public static func decompress(_ packed: ArraySlice<UInt8>, count: Int, offset: Int) throws(DecodeError) -> [UInt8] {
        var reader = ByteReader(Array(packed))
        var out: [UInt8] = []
        out.reserveCapacity(count)
        while out.count < count {
            let literals = try reader.readVarint()
            guard literals <= UInt64(count - out.count) else {
                throw .badPackedText(offset: offset + reader.offset, reason: "literal run past the stated length \(count)")
            }
            out.append(contentsOf: try reader.readRaw(Int(literals)))
            if out.count == count { break }
            let distance = try reader.readVarint()
            guard distance >= 1, distance <= UInt64(out.count) else {
                throw .badPackedText(offset: offset + reader.offset, reason: "back-reference \(distance) before the start")
            }
            let extra = try reader.readVarint()
            let remaining = count - out.count
            guard remaining >= minimumMatch, extra <= UInt64(remaining - minimumMatch) else {
                throw .badPackedText(offset: offset + reader.offset, reason: "match past the stated length \(count)")
            }
            var from = out.count - Int(distance)
            for _ in 0..<(Int(extra) + minimumMatch) {
                out.append(out[from])
                from += 1
            }
        }
        guard reader.isAtEnd else {
            throw .badPackedText(offset: offset + reader.offset, reason: "bytes left after \(count) unpacked")
        }
        return out
    }

    @inline(__always) private static func word4(_ b: [UInt8], _ i: Int) -> UInt32 {
        UInt32(b[i]) | UInt32(b[i + 1]) << 8 | UInt32(b[i + 2]) << 16 | UInt32(b[i + 3]) << 24
    }
}

extension ByteWriter {
    /// A text field that is packed when that makes it shorter: varint of (UTF-8 length << 1
    /// | packed), then either the UTF-8 bytes or varint packed length + the packed stream.
    public mutating func writePackedString(_ value: String) {
        let utf8 = Array(value.utf8)
        if let packed = TextCompression.compress(utf8) {
            writeVarint(UInt64(utf8.count) << 1 | 1)
            writeBytes(packed)
        } else {
            writeVarint(UInt64(utf8.count) << 1)
            append(utf8[...])
        }
    }
}

extension ByteReader {
    public mutating func readPackedString() throws(DecodeError) -> String {
        let start = offset
        let header = try readVarint()
        let length = header >> 1
        guard length <= UInt64(Int32.max) else { throw .valueOutOfRange(field: "text length", value: Int64(clamping: length)) }
        let text: String?
        if header & 1 == 0 {
            text = String(validating: try readRaw(Int(length)), as: UTF8.self)
        } else {
            let packedStart = offset
            let packedLength = try readVarint()
            guard packedLength <= UInt64(Int32.max) else { throw .valueOutOfRange(field: "packed text length", value: Int64(clamping: packedLength)) }
            let packed = try readRaw(Int(packedLength))
            text = String(validating: try TextCompression.decompress(packed, count: Int(length), offset: packedStart), as: UTF8.self)
        }
        guard let text else { throw .invalidUTF8(offset: start) }
        return text
    }
}

extension ByteReader {
    /// A text field as its record's version wrote it: packed, or plain length-prefixed UTF-8.
    mutating func readText(packed: Bool) throws(DecodeError) -> String {
        if packed { return try readPackedString() }
        return try readString()
    }
}
