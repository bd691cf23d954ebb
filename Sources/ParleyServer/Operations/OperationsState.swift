import Foundation
import ParleyStore

/// What the operations listener reports: the metrics registry, readiness, and the store
/// whose figures are sampled at each scrape.
public final class OperationsState: Sendable {
    public let metrics: ServerMetrics
    public let readiness: Readiness
    private let startedAt: Date
    private let store: ParleyStore?

    public init(metrics: ServerMetrics, readiness: Readiness, startedAt: Date, store: ParleyStore?) {
        self.metrics = metrics
        self.readiness = readiness
        self.startedAt = startedAt
        self.store = store
    }

    /// Samples the gauges read at scrape time, then renders the registry.
    func scrape() -> [UInt8] {
        // A failed read (closed while shutting down) leaves the last figures.
        let database = readiness.notReadyReason == nil ? metrics.databaseReading : nil
        metrics.sample(writer: readiness.notReadyReason == nil ? store?.writerStatistics : nil,
                       database: database, uptimeSeconds: Date().timeIntervalSince(startedAt))
        return metrics.exposition()
    }
}
