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
