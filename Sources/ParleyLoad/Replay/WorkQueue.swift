/// A connection's requests, handed out in order to its closed-loop slots.
actor WorkQueue {
    private let indices: [Int]
    private var position = 0

    init(_ indices: [Int]) { self.indices = indices }

    func next() -> Int? {
        guard position < indices.count else { return nil }
        defer { position += 1 }
        return indices[position]
    }
}
