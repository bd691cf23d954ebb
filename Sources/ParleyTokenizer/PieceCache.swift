/// The tokens of recently merged short pieces, direct-mapped by the piece's hash: chat
/// text repeats its words, and a hit costs one comparison instead of a merge. Fixed
/// arrays, so filling and probing it never allocates.
struct PieceCache: Sendable {
    static let slotCount = 4096
    static let maxPieceBytes = 16
    static let maxTokens = 6

    /// Bytes of the piece in each slot; a length of 0 is an empty slot.
    private var keys = [UInt8](repeating: 0, count: slotCount * maxPieceBytes)
    private var keyLengths = [UInt8](repeating: 0, count: slotCount)
    private var tokens = [UInt32](repeating: 0, count: slotCount * maxTokens)
    private var tokenCounts = [UInt8](repeating: 0, count: slotCount)

    /// Appends the cached tokens of `text[range]` to `output`; false on a miss.
    @inline(__always)
    func lookup(_ text: [UInt8], _ range: Range<Int>, hash: Int, into output: inout [UInt32]) -> Bool {
        let slot = hash & (Self.slotCount - 1)
        guard Int(keyLengths[slot]) == range.count else { return false }
        let base = slot * Self.maxPieceBytes
        for offset in 0..<range.count where keys[base + offset] != text[range.lowerBound + offset] {
            return false
        }
        let tokenBase = slot * Self.maxTokens
        for offset in 0..<Int(tokenCounts[slot]) { output.append(tokens[tokenBase + offset]) }
        return true
    }

    /// Keeps `merged` as the tokens of `text[range]` when both fit a slot.
    @inline(__always)
    mutating func store(_ text: [UInt8], _ range: Range<Int>, hash: Int, tokens merged: ArraySlice<UInt32>) {
        guard range.count <= Self.maxPieceBytes, merged.count <= Self.maxTokens else { return }
        let slot = hash & (Self.slotCount - 1)
        let base = slot * Self.maxPieceBytes
        for offset in 0..<range.count { keys[base + offset] = text[range.lowerBound + offset] }
        keyLengths[slot] = UInt8(range.count)
        let tokenBase = slot * Self.maxTokens
        for (offset, token) in merged.enumerated() { tokens[tokenBase + offset] = token }
        tokenCounts[slot] = UInt8(merged.count)
    }
}
