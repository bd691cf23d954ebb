extension Sequence {
    /// The first `count` elements of `sorted(by:)`, without sorting them all: a kept
    /// list of at most `count`, so n elements cost about n comparisons when most of them
    /// fall outside it. `areInIncreasingOrder` must be a strict total order, which makes
    /// the answer the same as sorting's.
    func smallest(_ count: Int, by areInIncreasingOrder: (Element, Element) -> Bool) -> [Element] {
        guard count > 0 else { return [] }
        var kept: [Element] = []
        kept.reserveCapacity(count + 1)
        for element in self {
            if kept.count == count, let last = kept.last, !areInIncreasingOrder(element, last) { continue }
            var low = 0
            var high = kept.count
            while low < high {
                let middle = (low + high) / 2
                if areInIncreasingOrder(element, kept[middle]) { high = middle } else { low = middle + 1 }
            }
            kept.insert(element, at: low)
            if kept.count > count { kept.removeLast() }
        }
        return kept
    }
}
