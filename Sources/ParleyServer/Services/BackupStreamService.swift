import Foundation
import ParleyCore
import ParleyStore
import ParleyWire

/// StreamBackup: one consistent snapshot of the database, sent to the client in chunks
/// while writes go on.
///
/// The snapshot is first copied next to the database (`ParleyStore.backup`, which pins the
/// snapshot's pages so the writer cannot reuse them) and then streamed from that copy:
/// the reader is released as soon as the copy is done, however slowly the client reads.
/// The copy needs free disk space equal to the database; it is removed when the call
/// ends, answered or not.
struct BackupStreamService {
    let store: ParleyStore
    /// Bytes per chunk: well under the default 4 MiB frame limit.
    static let chunkBytes = 1 << 20

    func register(in registry: inout ServiceRegistry) {
        let store = store
        registry.register(ParleyRPC.streamBackup) { _, call, stream in
            try PriceService.requireGlobalAdmin(call)
            let directory = (store.path as NSString).deletingLastPathComponent
            let copy = (directory as NSString).appendingPathComponent(".stream-backup-\(UUID().uuidString).db")
            defer { try? FileManager.default.removeItem(atPath: copy) }
            let info = try storeCall { try store.backup(to: copy) }
            guard let file = FileHandle(forReadingAtPath: copy) else {
                throw RPCError(.internal, "cannot read the snapshot copy \(copy)")
            }
            defer { try? file.close() }
            var hasher = SHA256()
            var offset = 0
            repeat {
                try call.checkStillWanted()
                let data = try file.read(upToCount: Self.chunkBytes) ?? Data()
                let bytes = [UInt8](data)
                hasher.update(bytes)
                let last = offset + bytes.count >= info.bytes || bytes.isEmpty
                var chunk = V1.BackupChunk(data: bytes, offset: Int64(offset), totalBytes: Int64(info.bytes),
                                           txnID: Int64(info.txnID), last: last)
                if last { chunk.sha256 = hasher.finalize() }
                try await stream.send(chunk)
                offset += bytes.count
                if last { break }
            } while true
        }
    }
}
