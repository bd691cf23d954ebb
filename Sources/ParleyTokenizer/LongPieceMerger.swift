/// The byte-pair merge of long pieces (a run of thousands of spaces or letters) in
/// O(n log n): the same joins in the same order as the linear scan (lowest rank first,
/// leftmost among equals), found with a min-heap of (rank, part) instead of a scan per
/// join, which would make one long piece quadratic. Parts are a doubly linked list over
/// the piece's bytes; heap entries that a join made stale are skipped when popped.
struct LongPieceMerger: Sendable {
    /// Per part (indexed by its first byte's offset in the piece): the next and previous
    /// live part, and the rank of the part joined with the next one.
    private var next: [Int32] = []
    private var previous: [Int32] = []
    private var rank: [UInt32] = []
    private var alive: [Bool] = []
    /// rank << 32 | part: the smallest value is the lowest rank, then the leftmost part.
    private var heap: [UInt64] = []

    mutating func merge(_ text: [UInt8], _ piece: Range<Int>, ranks: RankTable, into output: inout [UInt32]) {
        let count = piece.count
        let base = piece.lowerBound
        next.removeAll(keepingCapacity: true)
        previous.removeAll(keepingCapacity: true)
        rank.removeAll(keepingCapacity: true)
        alive.removeAll(keepingCapacity: true)
        heap.removeAll(keepingCapacity: true)
        for part in 0..<count {
            next.append(Int32(part + 1))
            previous.append(Int32(part - 1))
            alive.append(true)
            let pairRank = part + 1 < count ? ranks.pairRanks[Int(text[base + part]) << 8 | Int(text[base + part + 1])] : RankTable.none
            rank.append(pairRank)
            if pairRank != RankTable.none { push(UInt64(pairRank) << 32 | UInt64(part)) }
        }
        while let entry = pop() {
            let part = Int(truncatingIfNeeded: entry & 0xFFFF_FFFF)
            let entryRank = UInt32(truncatingIfNeeded: entry >> 32)
            // Stale: the part was joined into its left neighbour, or its right side grew.
            guard alive[part], rank[part] == entryRank else { continue }
            let joined = Int(next[part])
            alive[joined] = false
            let after = Int(next[joined])
            next[part] = Int32(after)
            if after < count { previous[after] = Int32(part) }
            rank[part] = after < count ? ranks.rank(text, (base + part)..<(base + Int(next[after]))) : RankTable.none
            if rank[part] != RankTable.none { push(UInt64(rank[part]) << 32 | UInt64(part)) }
            let before = Int(previous[part])
            if before >= 0 {
                rank[before] = ranks.rank(text, (base + before)..<(base + after))
                if rank[before] != RankTable.none { push(UInt64(rank[before]) << 32 | UInt64(before)) }
            }
        }
        var part = 0
        while part < count {
            let end = Int(next[part])
            output.append(ranks.rank(text, (base + part)..<(base + end)))
            part = end
        }
    }

    private mutating func push(_ value: UInt64) {
        heap.append(value)
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[parent] > heap[child] else { break }
            heap.swapAt(parent, child)
            child = parent
        }
    }

    private mutating func pop() -> UInt64? {
        guard let last = heap.popLast() else { return nil }
        guard !heap.isEmpty else { return last }
        let top = heap[0]
        heap[0] = last
        var parent = 0
        while true {
            let left = 2 * parent + 1
            guard left < heap.count else { break }
            let right = left + 1
            let smaller = right < heap.count && heap[right] < heap[left] ? right : left
            guard heap[smaller] < heap[parent] else { break }
            heap.swapAt(parent, smaller)
            parent = smaller
        }
        return top
    }
}
