/// Encodes text with a `Tokenizer`, keeping scratch space and a cache of frequent pieces
/// between calls: hold one per thread (it is a value; copies do not share state) and
/// reuse it, so encoding allocates nothing per piece or per byte.
public struct TokenEncoder: Sendable {
    public let tokenizer: Tokenizer
    private var text: [UInt8] = []
    private var output: [UInt32] = []
    private var cache = PieceCache()
    /// Per part of the piece being merged: its start, and the rank of it merged with the
    /// next part (`RankTable.none` when that is no token). Reused by every merge.
    private var partStarts: [Int] = []
    private var partRanks: [UInt32] = []
    private var longPieces = LongPieceMerger()
    /// Pieces longer than this many bytes are merged with `LongPieceMerger`; below it the
    /// linear scan is faster.
    let longPieceBytes: Int

    public init(_ tokenizer: Tokenizer) {
        self.init(tokenizer, longPieceBytes: 128)
    }

    /// Tests set `longPieceBytes` to force one merge algorithm or the other.
    init(_ tokenizer: Tokenizer, longPieceBytes: Int) {
        self.tokenizer = tokenizer
        self.longPieceBytes = longPieceBytes
    }

    /// The token ids of `text`, as tiktoken's `encode_ordinary` gives them (special tokens
    /// such as "<|endoftext|>" are plain text).
    public mutating func encode(_ text: String) -> [UInt32] {
        load(text)
        encodeLoaded()
        return output
    }

    /// The number of tokens `encode(text)` gives.
    public mutating func count(_ text: String) -> Int {
        load(text)
        encodeLoaded()
        return output.count
    }

    /// The token ids of arbitrary bytes: invalid UTF-8 is first replaced by U+FFFD, as
    /// decoding with errors="replace" does, so the result equals tiktoken's
    /// `encode_ordinary(data.decode("utf-8", "replace"))`. (tiktoken's own bytes entry
    /// point instead merges everything after the first invalid byte as one piece, which
    /// no text a model sees is split into.)
    public mutating func encode(utf8 bytes: [UInt8]) -> [UInt32] {
        encode(String(decoding: bytes, as: UTF8.self))
    }

    /// The number of tokens `encode(utf8:)` gives.
    public mutating func count(utf8 bytes: [UInt8]) -> Int {
        count(String(decoding: bytes, as: UTF8.self))
    }

    private mutating func load(_ string: String) {
        text.removeAll(keepingCapacity: true)
        text.append(contentsOf: string.utf8)
        output.removeAll(keepingCapacity: true)
    }

    private mutating func encodeLoaded() {
        let ranks = tokenizer.vocabulary.ranks
        let splitter = PieceSplitter(text)
        var start = 0
        while start < text.count {
            let end = splitter.pieceEnd(from: start)
            encodePiece(start..<end, ranks: ranks)
            start = end
        }
    }

    @inline(__always)
    private mutating func encodePiece(_ piece: Range<Int>, ranks: RankTable) {
        if piece.count == 1 {
            output.append(ranks.byteRanks[Int(text[piece.lowerBound])])
            return
        }
        let hash = RankTable.hash(text, piece)
        let whole = ranks.rank(text, piece, hash: hash)
        if whole != RankTable.none {
            output.append(whole)
            return
        }
        if piece.count > longPieceBytes {
            longPieces.merge(text, piece, ranks: ranks, into: &output)
            return
        }
        if cache.lookup(text, piece, hash: hash, into: &output) { return }
        let first = output.count
        merge(piece, ranks: ranks)
        cache.store(text, piece, hash: hash, tokens: output[first...])
    }

    /// tiktoken's byte-pair merge: repeatedly join the adjacent pair whose join has the
    /// lowest rank (the leftmost among equals) until no join is a token, then emit the
    /// parts. A linear scan per step, which on pieces of a few bytes beats a heap.
    private mutating func merge(_ piece: Range<Int>, ranks: RankTable) {
        partStarts.removeAll(keepingCapacity: true)
        partRanks.removeAll(keepingCapacity: true)
        var minRank = RankTable.none
        var minIndex = 0
        for index in piece.lowerBound..<(piece.upperBound - 1) {
            let rank = ranks.pairRanks[Int(text[index]) << 8 | Int(text[index + 1])]
            if rank < minRank {
                minRank = rank
                minIndex = partStarts.count
            }
            partStarts.append(index)
            partRanks.append(rank)
        }
        partStarts.append(piece.upperBound - 1)
        partRanks.append(RankTable.none)
        partStarts.append(piece.upperBound)
        partRanks.append(RankTable.none)

        while minRank != RankTable.none {
            let index = minIndex
            if index > 0 { partRanks[index - 1] = joinedRank(index - 1, ranks: ranks) }
            partRanks[index] = joinedRank(index, ranks: ranks)
            partStarts.remove(at: index + 1)
            partRanks.remove(at: index + 1)
            minRank = RankTable.none
            for candidate in 0..<(partRanks.count - 1) where partRanks[candidate] < minRank {
                minRank = partRanks[candidate]
                minIndex = candidate
            }
        }
        for index in 0..<(partStarts.count - 1) {
            // Every part is a token: single bytes are, and a join happens only when its
            // bytes are one.
            output.append(ranks.rank(text, partStarts[index]..<partStarts[index + 1]))
        }
    }

    /// The rank of part `index` joined with the next one, as it would be after the pending
    /// join of parts index + 1 and index + 2.
    @inline(__always)
    private func joinedRank(_ index: Int, ranks: RankTable) -> UInt32 {
        guard index + 3 < partStarts.count else { return RankTable.none }
        return ranks.rank(text, partStarts[index]..<partStarts[index + 3])
    }
}
