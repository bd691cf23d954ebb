import Foundation

/// One measured figure, Parley's and its peer's.
struct BenchResult: Encodable {
    enum Kind { case rate, time, size }
    let name: String
    let unit: String
    let parley: Double
    let peer: String
    let peerValue: Double
    let ratio: Double

    /// ratio > 1 means Parley is ahead: X/Y for rates, Y/X for times and sizes.
    init(_ name: String, unit: String, kind: Kind, parley: Double, peer: String, peerValue: Double) {
        self.name = name
        self.unit = unit
        self.parley = parley
        self.peer = peer
        self.peerValue = peerValue
        switch kind {
        case .rate: ratio = peerValue > 0 ? parley / peerValue : 0
        case .time, .size: ratio = parley > 0 ? peerValue / parley : 0
        }
    }

    enum CodingKeys: String, CodingKey {
        case name, unit, parley, peer, ratio
        case peerValue = "peer_value"
    }
}

/// The JSON file and the table a suite prints.
struct BenchReport: Encodable {
    let suite: String
    var results: [BenchResult] = []

    init(suite: String) { self.suite = suite }

    mutating func add(_ r: BenchResult) {
        results.append(r)
        print(String(format: "  %-44@ %14.3f %-8@ %-16@ %14.3f  ratio %.2f", r.name as NSString, r.parley, r.unit as NSString,
                     r.peer as NSString, r.peerValue, r.ratio))
    }

    func write(to directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let path = (directory as NSString).appendingPathComponent("\(suite).json")
        try encoder.encode(self).write(to: URL(fileURLWithPath: path))
        print("wrote \(path)")
    }
}

/// Latency samples in nanoseconds and their percentiles.
struct LatencySamples {
    private(set) var values: [UInt64] = []

    mutating func reserve(_ n: Int) { values.reserveCapacity(n) }
    mutating func add(_ ns: UInt64) { values.append(ns) }
    mutating func merge(_ other: LatencySamples) { values += other.values }

    /// The p-th percentile (0...100) in milliseconds.
    func percentileMs(_ p: Double) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        let index = min(sorted.count - 1, Int((p / 100 * Double(sorted.count)).rounded(.up)) - 1)
        return Double(sorted[max(0, index)]) / 1e6
    }
}
