import NIOCore
import ParleyLoad
import ParleyWire

/// Everything parleyd can be told. The defaults suit one machine serving its own services.
public struct ServerConfiguration: Sendable {
    public var host = "127.0.0.1"
    /// 0: any free port (tests).
    public var port = 7420
    public var dataDirectory: String
    public var maxFrameSize = Frame.defaultMaxFrameSize
    public var maxConnections = 1024
    /// Calls one connection may have outstanding before the server stops reading it.
    public var maxInFlightCalls = 128
    /// A connection with no complete frame and no call in flight for this long is closed.
    public var idleTimeoutMs: Int64 = 300_000
    /// A connection whose HELLO has not arrived this long after connect is closed.
    public var helloTimeoutMs: Int64 = 5_000
    /// A frame whose first byte arrived must be complete within this long (slowloris).
    public var frameTimeoutMs: Int64 = 10_000
    /// Connections one peer address may hold; below `maxConnections` so one host cannot
    /// take every slot.
    public var maxConnectionsPerPeer = 256
    /// Requests per second one API key may make over all its connections; 0: no limit.
    /// High by default so benchmarks run unthrottled; deployments set what their clients need.
    public var keyRequestsPerSecond = 100_000
    /// Bytes of accepted, unanswered requests the server holds over all connections.
    public var maxBufferedRequestBytes = 256 << 20
    /// Listen on a non-loopback address without TLS (see ListenPolicy).
    public var insecureListen = false
    /// The certificate and key the RPC listener serves TLS with; nil: plain TCP. The
    /// metrics listener stays plain HTTP either way.
    public var tls: ServerTLS?
    /// How long a graceful shutdown waits for accepted calls to finish.
    public var shutdownGraceMs: Int64 = 30_000
    public var eventLoopThreads = System.coreCount
    /// Detail (turns, messages) older than this many days moves to the archive, checked
    /// hourly; 0 keeps everything live.
    public var retainDays = 0
    /// Counts the text of turns that come without counts, and answers CountTokens.
    public var tokenCounting = TokenCounting.estimating
    /// Where the HTTP listener for /metrics, /healthz and /readyz binds; nil: off.
    public var metricsAddress: (host: String, port: Int)?
    /// A call slower than this is logged with its id, method, peer, status and duration;
    /// failed calls always are.
    public var slowCallMs: Int64 = 1_000
    /// `parleyd --record`: every REQUEST accepted after HELLO is appended here with its
    /// connection number (docs/LOAD.md); closed when the daemon stops. nil: off.
    public var capture: CaptureWriter?

    public init(dataDirectory: String) {
        self.dataDirectory = dataDirectory
    }
}
