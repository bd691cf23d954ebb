import Atomics
import CoreMetrics
import Foundation
import Metrics
import ParleyStorage
import ParleyStore
import ParleyWire
import Prometheus

/// The server's metrics, recorded through swift-metrics into one Prometheus registry
/// that the operations listener serves at `GET /metrics`.
///
/// The factory is injected, never bootstrapped globally: each server (and each test's
/// server) has its own registry. Call metrics are made lazily per method and status so
/// the scrape lists only what happened, and looked up without a lock on the call path.
public final class ServerMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    private let factory: PrometheusMetricsFactory
    private static let methodSlots = Method.allCases.count + 1
    /// Indexed by method slot (0: unknown ids) then status code.
    private let callCounters: [[ManagedAtomicLazyReference<CoreMetrics.Counter>]]
    private let callTimers: [ManagedAtomicLazyReference<Metrics.Timer>]
    private let inFlight: Meter
    private let connections: Meter
    private let batchRequests: Recorder
    private let commitDuration: Metrics.Timer
    private let failedBatches: CoreMetrics.Counter
    private let queueDepth: Meter
    private let databaseBytes: Meter
    private let databasePages: Meter
    private let databaseFreePages: Meter
    private let uptime: Meter
    private let checkpoints: CoreMetrics.Counter
    private let checkpointPages: CoreMetrics.Counter
    /// The cumulative figures last added to the two counters above.
    private let checkpointsSeen = ManagedAtomic<Int>(0)
    private let checkpointPagesSeen = ManagedAtomic<Int>(0)
    private let checkpointDuration: Meter
    private let commitLogBytes: Meter
    private let readers: Meter
    private let oldestReaderAge: Meter
    private let watchedDatabase = ManagedAtomicLazyReference<DatabaseWatch>()

    public init() {
        registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        // Calls and commits of a local store take microseconds to seconds.
        let durations: [Duration] = [
            .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2),
            .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
            .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2), .seconds(5), .seconds(10),
        ]
        factory.defaultDurationHistogramBuckets = durations
        factory.valueHistogramBuckets[MetricName.batchRequests.rawValue] = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024]
        self.factory = factory
        callCounters = (0..<Self.methodSlots).map { _ in StatusCode.allCases.map { _ in ManagedAtomicLazyReference<CoreMetrics.Counter>() } }
        callTimers = (0..<Self.methodSlots).map { _ in ManagedAtomicLazyReference<Metrics.Timer>() }
        inFlight = Meter(label: MetricName.callsInFlight.rawValue, factory: factory)
        connections = Meter(label: MetricName.connections.rawValue, factory: factory)
        batchRequests = Recorder(label: MetricName.batchRequests.rawValue, factory: factory)
        commitDuration = Metrics.Timer(label: MetricName.commitDuration.rawValue, factory: factory)
        failedBatches = CoreMetrics.Counter(label: MetricName.failedBatches.rawValue, factory: factory)
        queueDepth = Meter(label: MetricName.writerQueueDepth.rawValue, factory: factory)
        databaseBytes = Meter(label: MetricName.databaseBytes.rawValue, factory: factory)
        databasePages = Meter(label: MetricName.databasePages.rawValue, factory: factory)
        databaseFreePages = Meter(label: MetricName.databaseFreePages.rawValue, factory: factory)
        uptime = Meter(label: MetricName.uptime.rawValue, factory: factory)
        checkpoints = CoreMetrics.Counter(label: MetricName.checkpoints.rawValue, factory: factory)
        checkpointPages = CoreMetrics.Counter(label: MetricName.checkpointPages.rawValue, factory: factory)
        checkpointDuration = Meter(label: MetricName.checkpointDuration.rawValue, factory: factory)
        commitLogBytes = Meter(label: MetricName.commitLogBytes.rawValue, factory: factory)
        readers = Meter(label: MetricName.readers.rawValue, factory: factory)
        oldestReaderAge = Meter(label: MetricName.oldestReaderAge.rawValue, factory: factory)
    }

    /// Names the database whose figures scrapes and ServerInfo report (once; later calls
    /// keep the first).
    public func watch(_ database: Database) {
        _ = watchedDatabase.storeIfNilThenLoad(DatabaseWatch(database: database))
    }

    /// The watched database's figures now; nil before `watch` or when it cannot be read.
    var databaseReading: DatabaseWatch.Reading? { watchedDatabase.load()?.read() }

    func callStarted() { inFlight.increment() }

    func callEnded() { inFlight.decrement() }

    func callFinished(method: UInt16, status: StatusCode, duration: Duration) {
        let slot = Int(method) < Self.methodSlots ? Int(method) : 0
        let name = Method(rawValue: UInt16(slot))?.name ?? "unknown"
        let factory = factory
        let counterSlot = callCounters[slot][Int(status.rawValue)]
        let counter = counterSlot.load() ?? counterSlot.storeIfNilThenLoad(
            CoreMetrics.Counter(label: MetricName.calls.rawValue,
                                dimensions: [(MetricLabel.method.rawValue, name), (MetricLabel.status.rawValue, status.name)],
                                factory: factory))
        counter.increment()
        let timer = callTimers[slot].load() ?? callTimers[slot].storeIfNilThenLoad(
            Metrics.Timer(label: MetricName.callDuration.rawValue, dimensions: [(MetricLabel.method.rawValue, name)], factory: factory))
        timer.recordNanoseconds(duration.nanoseconds)
    }

    func connectionsChanged(to count: Int) { connections.set(count) }

    /// The writer's per-commit hook (`StoreOptions.onCommit`).
    public func commitFinished(_ sample: CommitSample) {
        batchRequests.record(sample.requests)
        commitDuration.recordNanoseconds(sample.duration.nanoseconds)
        if sample.failed { failedBatches.increment() }
    }

    /// Figures read at scrape time rather than kept current: the writer's queue, the
    /// database's (DatabaseWatch), uptime.
    func sample(writer: WriterStatistics?, database: DatabaseWatch.Reading?, uptimeSeconds: Double) {
        if let writer { queueDepth.set(writer.queuedRequests) }
        if let database {
            databaseBytes.set(database.fileBytes)
            databasePages.set(database.pages)
            databaseFreePages.set(database.freePages)
            let activity = database.activity
            Self.advance(checkpoints, seen: checkpointsSeen, to: activity.checkpoints)
            Self.advance(checkpointPages, seen: checkpointPagesSeen, to: activity.checkpointPages)
            if let last = activity.lastCheckpointDuration { checkpointDuration.set(last.inSeconds) }
            commitLogBytes.set(activity.logBytes)
            readers.set(activity.readers)
            oldestReaderAge.set(activity.oldestReaderAge?.inSeconds ?? 0)
        }
        uptime.set(uptimeSeconds)
    }

    /// Adds to a counter what a cumulative figure grew by since the last scrape.
    private static func advance(_ counter: CoreMetrics.Counter, seen: ManagedAtomic<Int>, to total: Int) {
        let before = seen.exchange(total, ordering: .relaxed)
        if total > before { counter.increment(by: total - before) }
    }

    /// The registry in the Prometheus text format.
    func exposition() -> [UInt8] { registry.emitToBuffer() }
}

extension Duration {
    /// Whole nanoseconds, saturating (a duration past 292 years is not a call's).
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (whole, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? .max : whole.addingReportingOverflow(attoseconds / 1_000_000_000).partialValue
    }
}

extension Duration {
    var inSeconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
