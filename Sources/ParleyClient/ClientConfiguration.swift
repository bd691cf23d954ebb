/// Where and how a client connects.
public struct ClientConfiguration: Sendable {
    public var host: String
    public var port: Int
    public var apiKey: String
    public var clientName: String
    /// Deadline for calls that name none; nil waits as long as the server takes.
    public var defaultTimeoutMs: UInt32?
    public var connectTimeoutMs: Int64 = 5_000
    /// How often a call the server did not accept (GOAWAY, lost connection before it was
    /// sent) is tried again on a new connection.
    public var retriesForUnacceptedCalls = 3
    /// The in-process transport: when set, each connection is a pair of pipe descriptors
    /// (read the server's frames from `input`, write to `output`) this returns, instead
    /// of TCP to host and port. `ParleyServer.connectInProcess` makes them.
    public var inProcess: (@Sendable () async throws -> (input: CInt, output: CInt))?
    /// TLS to the server; nil: plain TCP (a loopback server without --tls-cert).
    public var tls: ClientTLS?

    public init(host: String = "127.0.0.1", port: Int = 7420, apiKey: String, clientName: String = "parley-swift") {
        self.host = host
        self.port = port
        self.apiKey = apiKey
        self.clientName = clientName
    }
}
