/// The vocabulary as a lookup from byte strings to ranks: every token's bytes in one
/// array (in rank order) and an open-addressing hash table of ranks, so a lookup of a
/// slice of the text hashes and compares bytes in place and never allocates a key.
/// A class, so the encoder's per-piece lookups borrow one reference instead of copying
/// (and retaining) six arrays; immutable after init, hence Sendable.
final class RankTable: Sendable {
    static let none = UInt32.max

    /// All tokens' bytes, token r at starts[r]..<starts[r + 1].
    private let bytes: [UInt8]
    private let starts: [Int]
    /// Per slot: rank + 1 in the low 32 bits (0 for an empty slot) and the high 32 bits
    /// of the key's hash, checked before the key's bytes are; the size is a power of two.
    private let slots: [UInt64]
    private let mask: Int
    /// The rank of each two-byte string (index first << 8 | second), for the first pass of
    /// every merge, which looks up all adjacent byte pairs.
    let pairRanks: [UInt32]
    /// The rank of each single byte.
    let byteRanks: [UInt32]

    var count: Int { starts.count - 1 }

    /// `tokens[r]` is the token of rank r; callers guarantee that the tokens are distinct
    /// and that every single byte is one of them.
    init(tokens: [[UInt8]]) {
        var bytes: [UInt8] = []
        var starts: [Int] = [0]
        starts.reserveCapacity(tokens.count + 1)
        for token in tokens {
            bytes.append(contentsOf: token)
            starts.append(bytes.count)
        }
        var size = 1
        while size < tokens.count * 2 { size <<= 1 }
        var slots = [UInt64](repeating: 0, count: size)
        var pairRanks = [UInt32](repeating: Self.none, count: 1 << 16)
        var byteRanks = [UInt32](repeating: Self.none, count: 256)
        for (rank, token) in tokens.enumerated() {
            let hash = Self.hash(token, 0..<token.count)
            var slot = hash & (size - 1)
            while slots[slot] != 0 { slot = (slot + 1) & (size - 1) }
            slots[slot] = Self.tag(hash) | UInt64(rank + 1)
            if token.count == 1 { byteRanks[Int(token[0])] = UInt32(rank) }
            if token.count == 2 { pairRanks[Int(token[0]) << 8 | Int(token[1])] = UInt32(rank) }
        }
        self.bytes = bytes
        self.starts = starts
        self.slots = slots
        self.mask = size - 1
        self.pairRanks = pairRanks
        self.byteRanks = byteRanks
    }

    /// FNV-1a over the bytes; pieces are short (a word), so byte at a time is enough.
    @inline(__always)
    static func hash(_ text: [UInt8], _ range: Range<Int>) -> Int {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for index in range {
            hash = (hash ^ UInt64(text[index])) &* 0x0000_0100_0000_01b3
        }
        return Int(truncatingIfNeeded: hash ^ (hash >> 29))
    }

    @inline(__always)
    private static func tag(_ hash: Int) -> UInt64 {
        UInt64(UInt(bitPattern: hash)) & 0xFFFF_FFFF_0000_0000
    }

    /// The rank of `text[range]`, `RankTable.none` when it is not a token.
    @inline(__always)
    func rank(_ text: [UInt8], _ range: Range<Int>, hash: Int) -> UInt32 {
        let length = range.count
        let tag = Self.tag(hash)
        var slot = hash & mask
        while true {
            let entry = slots[slot]
            if entry == 0 { return Self.none }
            let rank = Int(truncatingIfNeeded: entry & 0xFFFF_FFFF) - 1
            let start = starts[rank]
            if entry & 0xFFFF_FFFF_0000_0000 == tag, starts[rank + 1] - start == length {
                var offset = 0
                while offset < length, bytes[start + offset] == text[range.lowerBound + offset] { offset += 1 }
                if offset == length { return UInt32(rank) }
            }
            slot = (slot + 1) & mask
        }
    }

    @inline(__always)
    func rank(_ text: [UInt8], _ range: Range<Int>) -> UInt32 {
        rank(text, range, hash: Self.hash(text, range))
    }

    /// The bytes of the token of `rank`, nil for a rank outside the vocabulary.
    func token(_ rank: UInt32) -> ArraySlice<UInt8>? {
        let index = Int(rank)
        guard index < count else { return nil }
        return bytes[starts[index]..<starts[index + 1]]
    }
}
