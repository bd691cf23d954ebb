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
        var database: DatabaseFigures?
        // fileFigures() walks the page tree's headers; a failed read leaves the last figures.
        if readiness.notReadyReason == nil, let stats = try? store?.fileFigures() {
            database = DatabaseFigures(fileBytes: stats.fileBytes, pages: stats.pages, freePages: stats.freePages)
        }
        metrics.sample(writer: readiness.notReadyReason == nil ? store?.writerStatistics : nil,
                       database: database, uptimeSeconds: Date().timeIntervalSince(startedAt))
        return metrics.exposition()
    }
}
