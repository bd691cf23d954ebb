import Foundation

/// Draws ranks 0..<n with probability proportional to 1 / (rank + 1)^s, by binary search
/// in the cumulative weights: a few contacts are very active, most write rarely.
struct ZipfSampler: Sendable {
    private let cumulative: [Double]

    init(count: Int, exponent: Double) {
        var running = 0.0
        var cumulative: [Double] = []
        cumulative.reserveCapacity(count)
        for k in 1...max(count, 1) {
            running += 1 / pow(Double(k), exponent)
            cumulative.append(running)
        }
        self.cumulative = cumulative
    }

    func draw(_ rng: inout SeededGenerator) -> Int {
        // safe: init appends at least one weight.
        let target = rng.unit() * cumulative.last!
        var low = 0, high = cumulative.count - 1
        while low < high {
            let mid = (low + high) / 2
            if cumulative[mid] > target { high = mid } else { low = mid + 1 }
        }
        return low
    }
}
