/// The paths the operations listener serves, none of which needs a key.
enum OperationsEndpoint: String {
    /// The Prometheus text exposition of `ServerMetrics`.
    case metrics = "/metrics"
    /// 200 while the process runs.
    case health = "/healthz"
    /// 200 when the database is open and no shutdown has begun, else 503 with the reason.
    case readiness = "/readyz"
}
