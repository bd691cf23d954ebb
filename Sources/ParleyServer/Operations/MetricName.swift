/// Every metric parleyd exports, by its Prometheus name. docs/OPERATIONS.md lists them;
/// dashboards depend on these strings, so they change only with a note there.
enum MetricName: String, CaseIterable {
    case calls = "parley_calls_total"
    case callDuration = "parley_call_duration_seconds"
    case callsInFlight = "parley_calls_in_flight"
    case connections = "parley_connections"
    case writerQueueDepth = "parley_writer_queue_depth"
    case batchRequests = "parley_writer_batch_requests"
    case commitDuration = "parley_writer_commit_duration_seconds"
    case failedBatches = "parley_writer_failed_batches_total"
    case databaseBytes = "parley_database_file_bytes"
    case databasePages = "parley_database_pages"
    case databaseFreePages = "parley_database_free_pages"
    case uptime = "parley_uptime_seconds"
    case checkpoints = "parley_checkpoints_total"
    case checkpointPages = "parley_checkpoint_pages_total"
    case checkpointDuration = "parley_checkpoint_last_duration_seconds"
    case commitLogBytes = "parley_commit_log_bytes"
    case readers = "parley_database_readers"
    case oldestReaderAge = "parley_oldest_reader_age_seconds"
}

/// The labels the call metrics carry.
enum MetricLabel: String {
    case method
    case status
}
