import Foundation
import ParleyClient
import ParleyCore
import ParleyWire

/// `parley admin backup --output FILE`: receives StreamBackup's chunks into FILE on this
/// machine, with progress. The chunks go to `FILE.partial`, which becomes FILE only
/// after every offset lined up and the SHA-256 matched the server's, so FILE is either
/// a whole snapshot or absent.
enum BackupDownload {
    struct Received {
        var bytes: Int64
        var txnID: Int64
    }

    static func run(client: ParleyClient, to path: String) async throws -> Received {
        guard !FileManager.default.fileExists(atPath: path) else {
            throw CLIError.usage("\(path) exists; backups never overwrite a file")
        }
        let partial = path + ".partial"
        guard FileManager.default.createFile(atPath: partial, contents: nil, attributes: [.posixPermissions: 0o600]),
              let out = FileHandle(forWritingAtPath: partial) else {
            throw CLIError.local("cannot create \(partial)")
        }
        var finished = false
        defer {
            try? out.close()
            if !finished { try? FileManager.default.removeItem(atPath: partial) }
        }
        let display = ProgressDisplay("backup")
        var hasher = SHA256()
        var received: Int64 = 0
        var answer = Received(bytes: 0, txnID: 0)
        var sawLast = false
        do {
            // No deadline (0): a large database takes as long as the link needs.
            for try await chunk in client.streamBackup(V1.StreamBackupRequest(), timeoutMs: 0) {
                let data = chunk.data ?? []
                guard chunk.offset ?? -1 == received else {
                    throw CLIError.local("the backup stream skipped from byte \(received) to \(chunk.offset ?? -1)")
                }
                try out.write(contentsOf: data)
                hasher.update(data)
                received += Int64(data.count)
                answer = Received(bytes: chunk.totalBytes ?? 0, txnID: chunk.txnID ?? 0)
                display.update(done: received, total: answer.bytes)
                if chunk.last == true {
                    guard received == answer.bytes else {
                        throw CLIError.local("the backup ended at byte \(received) of \(answer.bytes)")
                    }
                    guard hasher.finalize() == chunk.sha256 ?? [] else {
                        throw CLIError.local("the backup's SHA-256 does not match the server's; nothing was kept")
                    }
                    sawLast = true
                }
            }
        } catch {
            display.finish()
            throw error
        }
        display.finish()
        guard sawLast else { throw CLIError.local("the backup stream ended before its last chunk; nothing was kept") }
        try out.synchronize()
        try FileManager.default.moveItem(atPath: partial, toPath: path)
        finished = true
        return answer
    }
}
