import Foundation
import ParleyCore
import ParleyStorage

/// The archive database of one store, opened when it exists or when retention first
/// needs it. The archive is a ParleyStore file of its own (same trees and keys), so the
/// CLI and the thread view read it with the same code as the live file.
final class ArchiveHolder: @unchecked Sendable {
    // @unchecked: `store` is only touched with `lock` held.
    let path: String?
    private let durability: Durability
    private let lock = NSLock()
    private var store: ParleyStore?
    private var closed = false

    init(path: String?, durability: Durability) {
        self.path = path
        self.durability = durability
    }

    static let fileName = "archive.db"

    static func path(besides databasePath: String) -> String {
        ((databasePath as NSString).deletingLastPathComponent as NSString).appendingPathComponent(fileName)
    }

    func openIfPresent() throws {
        guard let path, FileManager.default.fileExists(atPath: path) else { return }
        _ = try openOrCreate()
    }

    /// The archive when it exists.
    var current: ParleyStore? {
        lock.withLock { store }
    }

    func openOrCreate() throws -> ParleyStore {
        try lock.withLock {
            if let store { return store }
            guard let path, !closed else { throw StoreError.closed }
            var options = StoreOptions()
            options.durability = durability
            options.keepsArchive = false
            let opened = try ParleyStore(path: path, options: options)
            store = opened
            return opened
        }
    }

    func close() {
        let open = lock.withLock { () -> ParleyStore? in
            closed = true
            defer { store = nil }
            return store
        }
        open?.close()
    }
}
