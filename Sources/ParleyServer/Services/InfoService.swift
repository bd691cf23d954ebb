import Foundation
import ParleyWire

/// ServerInfo: version, uptime, connections, calls by method and status, and the
/// database's figures (DatabaseWatch). Cheap enough for health checks and the RPC benchmark.
struct InfoService {
    let statistics: ServerStatistics
    let tokenCounting: TokenCounting

    func register(in registry: inout ServiceRegistry) {
        let statistics = statistics
        let tokenCounting = tokenCounting
        registry.register(ParleyRPC.serverInfo, inline: { _, _ in InfoService.answer(statistics, tokenCounting: tokenCounting) })
    }

    static func answer(_ statistics: ServerStatistics, tokenCounting: TokenCounting) -> V1.ServerInfoResponse {
        V1.ServerInfoResponse(
            version: ParleyVersion.string,
            uptimeMs: Int64(Date().timeIntervalSince(statistics.startedAt) * 1000),
            connections: UInt32(clamping: statistics.connections),
            calls: statistics.calls.map { call in
                V1.MethodCallCount(method: call.method, status: UInt32(call.status.rawValue), count: call.count)
            },
            protocolVersion: UInt32(Frame.version),
            tokenCountMethod: V1.TokenCountMethod(tokenCounting.counter.method), tokenCounting: tokenCounting.summary,
            database: statistics.metrics.databaseReading.map(Self.database))
    }

    /// The figures /metrics reports as parley_database_*, parley_checkpoint*,
    /// parley_commit_log_bytes and parley_oldest_reader_age_seconds.
    private static func database(_ reading: DatabaseWatch.Reading) -> V1.DatabaseInfo {
        let activity = reading.activity
        return V1.DatabaseInfo(
            fileBytes: Int64(reading.fileBytes), pages: Int64(reading.pages), freePages: Int64(reading.freePages),
            checkpoints: Int64(activity.checkpoints), checkpointPages: Int64(activity.checkpointPages),
            lastCheckpointUs: activity.lastCheckpointDuration.map { $0.nanoseconds / 1000 },
            commitLogBytes: Int64(activity.logBytes), readers: UInt32(clamping: activity.readers),
            oldestReaderAgeMs: activity.oldestReaderAge.map { $0.nanoseconds / 1_000_000 })
    }
}
