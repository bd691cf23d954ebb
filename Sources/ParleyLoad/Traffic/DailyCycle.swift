/// How busy each local hour is: quiet at night, a morning peak and an evening peak,
/// as chat traffic with businesses looks. Weights are relative.
enum DailyCycle {
    static let hourWeights: [Double] = [
        0.15, 0.08, 0.05, 0.04, 0.05, 0.10, 0.25, 0.55, // 00-07
        0.90, 1.20, 1.35, 1.30, 1.10, 1.05, 1.10, 1.15, // 08-15
        1.10, 1.05, 1.15, 1.30, 1.35, 1.10, 0.70, 0.35, // 16-23
    ]

    private static let cumulative: [Double] = hourWeights.reduce(into: []) { $0.append(($0.last ?? 0) + $1) }

    /// A time of day in ms since local midnight, the hour drawn by weight and the
    /// moment within it uniform.
    static func drawTimeOfDay(_ rng: inout SeededGenerator) -> Int64 {
        // safe: 24 weights.
        let target = rng.unit() * cumulative.last!
        let hour = cumulative.firstIndex { $0 > target } ?? 23
        return Int64(hour) * 3_600_000 + Int64(rng.below(3_600_000))
    }
}
