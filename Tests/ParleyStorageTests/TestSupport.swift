import Foundation
import XCTest
@testable import ParleyStorage


/// PARLEY_SEED overrides the seed; the seed in use is printed either way.
func testSeed(_ name: String) -> UInt64 {
    let seed = ProcessInfo.processInfo.environment["PARLEY_SEED"].flatMap { UInt64($0) }
        ?? UInt64.random(in: 1...UInt64(UInt32.max))
    print("\(name): PARLEY_SEED=\(seed)")
    return seed
}

final class TempDir {
    let path: String
    init() {
        path = NSTemporaryDirectory() + "parley-storage-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    func file(_ name: String = "db") -> String { path + "/" + name }
    deinit { try? FileManager.default.removeItem(atPath: path) }
}

func testOptions(pageSize: Int = 4096) -> DatabaseOptions {
    var o = DatabaseOptions()
    o.durability = .nosync
    o.pageSize = pageSize
    o.mapReserve = 1 << 30
    return o
}

func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }

typealias Model = [String: [[UInt8]: [UInt8]]]

/// Everything in the database, for comparing against a model.
func dump(_ txn: ReadTransaction) throws -> Model {
    var out: Model = [:]
    for name in try txn.treeNames() {
        guard let tree = try txn.tree(name) else { continue }
        var entries: [[UInt8]: [UInt8]] = [:]
        try tree.forEach { k, v in
            entries[k] = v
            return true
        }
        XCTAssertEqual(entries.count, tree.count, "count of \(name)")
        out[name] = entries
    }
    return out
}

func assertClean(_ db: Database, _ context: @autoclosure () -> String = "", file: StaticString = #filePath, line: UInt = #line) throws {
    let report = try db.check()
    if !report.isClean { XCTFail("checker: \(context())\n\(report)", file: file, line: line) }
}

/// Compares database contents with a model, reporting the first difference only.
func assertSame(_ got: Model, _ want: Model, _ context: @autoclosure () -> String = "", file: StaticString = #filePath, line: UInt = #line) {
    let g = got.filter { !$0.value.isEmpty }, w = want.filter { !$0.value.isEmpty }
    guard g != w else { return }
    var why = "trees \(g.keys.sorted()) vs \(w.keys.sorted())"
    for name in Set(g.keys).union(w.keys).sorted() {
        let a = g[name] ?? [:], b = w[name] ?? [:]
        if a == b { continue }
        let extra = a.keys.filter { b[$0] == nil }.count
        let missing = b.keys.filter { a[$0] == nil }.count
        let differ = a.keys.filter { b[$0] != nil && b[$0] != a[$0] }.count
        why = "tree \(name): \(a.count) keys vs \(b.count); \(extra) extra, \(missing) missing, \(differ) with other values"
        break
    }
    XCTFail("contents differ: \(why) \(context())", file: file, line: line)
}

/// Hands items from one thread to another in order, as the group-commit writer hands its
/// appended commits to its sync thread: for tests that pipeline `writeUnsynced` and
/// `makeDurable`.
final class HandOff<Item>: @unchecked Sendable {
    // Guards items, finished and done; signalled on put and finish.
    private let condition = NSCondition()
    private var items: [Item] = []
    private var finished = false
    private var done = false

    func put(_ item: Item) {
        condition.lock()
        items.append(item)
        condition.signal()
        condition.unlock()
    }

    func finish() {
        condition.lock()
        finished = true
        condition.signal()
        condition.unlock()
    }

    /// The next item, or nil once finished and empty.
    func take() -> Item? {
        condition.lock()
        defer { condition.unlock() }
        while items.isEmpty && !finished { condition.wait() }
        guard !items.isEmpty else {
            done = true
            return nil
        }
        return items.removeFirst()
    }

    /// The taker has seen the end.
    var isDrained: Bool {
        condition.lock()
        defer { condition.unlock() }
        return done
    }
}
