import Foundation
import ParleyStorage
import ParleyStore
import ParleyWire

/// Operations on the database itself: integrity check, statistics, hot backup.
struct AdminService {
    let store: ParleyStore

    func register(in registry: inout ServiceRegistry) {
        let store = store
        registry.register(.check, .stream { call, _, stream in
            try PriceService.requireGlobalAdmin(call)
            let relay = ProgressRelay(phase: "check")
            try await relay.run(on: stream, describe: { (report: CheckReport) in
                report.isClean
                    ? "clean: \(report.pagesReachable) pages reachable, \(report.pagesFree) free, txn \(report.txnID)"
                    : "\(report.problems.count) problems: " + report.problems.prefix(20).map(\.description).joined(separator: "; ")
            }) {
                try storeCall {
                    try store.database.check { p in relay.post(done: Int64(p.pagesChecked), total: Int64(p.pagesTotal)) }
                }
            }
        })
        registry.register(.stats, .unary { call, _ in
            try PriceService.requireGlobalAdmin(call)
            let stats = try storeCall { try store.database.stats() }
            let writer = store.writerStatistics
            var m = ProtoMessage(Method.stats.responseType)
            m.set("file_bytes", stats.fileBytes)
            m.set("page_size", stats.pageSize)
            m.set("pages", stats.pages)
            m.set("free_pages", stats.freePages)
            m.set("commits", writer.commits)
            m.set("last_commit_ms", Int64(writer.lastCommitTime.milliseconds.rounded()))
            if writer.commits > 0 {
                m.set("avg_commit_ms", writer.totalCommitTime.milliseconds / Double(writer.commits))
                m.set("avg_batch_size", Double(writer.items) / Double(writer.commits))
            }
            m.set("trees", messages: stats.trees.map { t in
                var tree = ProtoMessage(MessageType.named("parley.v1.TreeStats")!) // safe: declared in parley_service.proto
                tree.set("name", t.name)
                tree.set("keys", t.keys)
                tree.set("pages", t.pages)
                tree.set("depth", t.depth)
                return tree
            })
            return m
        })
        registry.register(.backup, .unary { call, request in
            try PriceService.requireGlobalAdmin(call)
            let path = request.string("path") ?? ""
            guard path.hasPrefix("/") else {
                throw RPCError.invalidArgument([FieldViolation(field: "path", reason: "must be an absolute path on the server's machine")])
            }
            guard !FileManager.default.fileExists(atPath: path) else {
                throw RPCError(.alreadyExists, "\(path) exists; backups never overwrite a file")
            }
            let info = try storeCall { try store.database.backup(to: path) }
            var m = ProtoMessage(Method.backup.responseType)
            m.set("bytes", Int64(info.bytes))
            m.set("txn_id", Int64(info.txnID))
            return m
        })
    }
}

extension Duration {
    var milliseconds: Double {
        let (s, atto) = components
        return Double(s) * 1_000 + Double(atto) / 1e15
    }
}
