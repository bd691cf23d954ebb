import Foundation
import ParleyStore
import ParleyWire

/// Operations on the database itself: integrity check, statistics, hot backup.
struct AdminService {
    let store: ParleyStore

    func register(in registry: inout ServiceRegistry) {
        let store = store
        registry.register(ParleyRPC.check) { _, call, stream in
            try PriceService.requireGlobalAdmin(call)
            let relay = ProgressRelay(phase: "check")
            try await relay.run(on: stream, describe: { (report: StoreCheck) in report.summary }) {
                try storeCall {
                    try store.check { checked, total in relay.post(done: Int64(checked), total: Int64(total)) }
                }
            }
        }
        registry.register(ParleyRPC.stats) { _, call in
            try PriceService.requireGlobalAdmin(call)
            let stats = try storeCall { try store.fileFigures() }
            let writer = store.writerStatistics
            var m = V1.StatsResponse(
                fileBytes: Int64(stats.fileBytes), pageSize: Int64(stats.pageSize), pages: Int64(stats.pages), freePages: Int64(stats.freePages),
                trees: stats.trees.map { t in V1.TreeStats(name: t.name, keys: Int64(t.keys), pages: Int64(t.pages), depth: Int64(t.depth)) },
                commits: writer.commits, lastCommitMs: Int64(writer.lastCommitTime.milliseconds.rounded()))
            if writer.commits > 0 {
                m.avgCommitMs = writer.totalCommitTime.milliseconds / Double(writer.commits)
                m.avgBatchSize = Double(writer.items) / Double(writer.commits)
            }
            return m
        }
        registry.register(ParleyRPC.backup) { request, call in
            try PriceService.requireGlobalAdmin(call)
            let path = request.path ?? ""
            guard path.hasPrefix("/") else {
                throw RPCError.invalidArgument([FieldViolation(field: "path", reason: "must be an absolute path on the server's machine")])
            }
            guard !FileManager.default.fileExists(atPath: path) else {
                throw RPCError(.alreadyExists, "\(path) exists; backups never overwrite a file")
            }
            let info = try storeCall { try store.backup(to: path) }
            return V1.BackupResponse(bytes: Int64(info.bytes), txnID: Int64(info.txnID))
        }
    }
}

extension Duration {
    var milliseconds: Double {
        let (s, atto) = components
        return Double(s) * 1_000 + Double(atto) / 1e15
    }
}
