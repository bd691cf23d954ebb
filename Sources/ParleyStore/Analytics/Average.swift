/// SQL's AVG: the mean of the values present, nil when none is.
struct Average {
    private(set) var sum: Double = 0
    private(set) var count: Int64 = 0

    mutating func add(_ value: Double?) {
        guard let value else { return }
        sum += value
        count += 1
    }

    var value: Double? { count > 0 ? sum / Double(count) : nil }
}
