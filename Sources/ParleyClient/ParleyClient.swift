import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOSSL
import ParleyWire

/// A Parley client. One connection carries any number of concurrent calls; calls the
/// server did not accept (it sent GOAWAY, or the connection dropped before the call
/// went out) are retried on a fresh connection.
public final class ParleyClient: Sendable {
    public let configuration: ClientConfiguration
    private let group: EventLoopGroup
    private let ownsGroup: Bool
    private let current = NIOLockedValueBox<ClientConnection?>(nil)
    private let connecting = NIOLockedValueBox<Task<ClientConnection, Error>?>(nil)
    /// Made at the first connect and kept: loading trust roots reads files and is slow.
    private let tlsContext = NIOLockedValueBox<NIOSSLContext?>(nil)

    public init(configuration: ClientConfiguration, group: EventLoopGroup? = nil) {
        self.configuration = configuration
        if let group {
            self.group = group
            ownsGroup = false
        } else {
            self.group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
            ownsGroup = true
        }
    }

    /// Connects now (calls connect lazily otherwise) and returns the server's Welcome.
    @discardableResult
    public func connect() async throws -> Welcome {
        try await connection().welcome
    }

    /// A unary call. Throws `RPCError` for any status other than OK, `ClientError` when
    /// the server cannot be reached.
    public func call<Request, Response>(_ rpc: UnaryRPC<Request, Response>, _ request: Request, timeoutMs: UInt32? = nil,
                                        metadata: CallMetadata = CallMetadata()) async throws -> Response {
        let meta = effective(metadata, timeoutMs)
        return try await withRetries { conn in try await conn.unary(rpc, request, metadata: meta) }
    }

    /// Runs `body` on a connection, again on a fresh one when the server did not accept it.
    func withRetries<T>(_ body: (ClientConnection) async throws -> T) async throws -> T {
        var last: Error = ClientError.unreachable("no attempt was made")
        for _ in 0...configuration.retriesForUnacceptedCalls {
            let conn = try await connection()
            do {
                return try await body(conn)
            } catch let notAccepted as ClientConnection.NotAccepted {
                forget(conn)
                last = ClientError.connectionLost(notAccepted.reason)
            }
        }
        throw last
    }

    /// A server-streaming call: each message the server sends, then the end of the stream
    /// (or the error that ended it).
    public func stream<Request, Response>(_ rpc: ServerStreamingRPC<Request, Response>, _ request: Request, timeoutMs: UInt32? = nil,
                                          metadata: CallMetadata = CallMetadata()) -> AsyncThrowingStream<Response, Error> {
        let meta = effective(metadata, timeoutMs)
        return AsyncThrowingStream { continuation in
            let task = Task {
                for _ in 0...configuration.retriesForUnacceptedCalls {
                    do {
                        let conn = try await connection()
                        try await conn.stream(rpc, request, metadata: meta) { continuation.yield($0) }
                        continuation.finish()
                        return
                    } catch let notAccepted as ClientConnection.NotAccepted {
                        if case .some(let conn) = current.withLockedValue({ $0 }) { forget(conn) }
                        if notAccepted.sentMessages { continuation.finish(throwing: ClientError.connectionLost(notAccepted.reason)); return }
                    } catch {
                        continuation.finish(throwing: error)
                        return
                    }
                }
                continuation.finish(throwing: ClientError.connectionLost("the server did not accept the call"))
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    /// Round-trip time of one PING, in nanoseconds.
    public func ping() async throws -> UInt64 {
        try await connection().ping()
    }

    /// Closes the connection; calls in flight fail.
    public func close() async {
        let conn = current.withLockedValue { c -> ClientConnection? in defer { c = nil }; return c }
        await conn?.close()
        if ownsGroup { try? await group.shutdownGracefully() }
    }

    func effective(_ metadata: CallMetadata, _ timeoutMs: UInt32?) -> CallMetadata {
        var m = metadata
        if let t = timeoutMs ?? configuration.defaultTimeoutMs { m.timeoutMs = t }
        return m
    }

    private func connection() async throws -> ClientConnection {
        if let conn = current.withLockedValue({ $0 }), conn.isUsable { return conn }
        let task = connecting.withLockedValue { pending -> Task<ClientConnection, Error> in
            if let pending { return pending }
            let t = Task {
                try await ClientConnection.open(configuration: configuration, group: group, tlsContext: try madeTLSContext())
            }
            pending = t
            return t
        }
        do {
            let conn = try await task.value
            current.withLockedValue { $0 = conn }
            connecting.withLockedValue { if $0 == task { $0 = nil } }
            return conn
        } catch {
            connecting.withLockedValue { if $0 == task { $0 = nil } }
            throw error
        }
    }

    private func madeTLSContext() throws -> NIOSSLContext? {
        guard let tls = configuration.tls else { return nil }
        return try tlsContext.withLockedValue { cached in
            if let cached { return cached }
            let made = try tls.makeContext()
            cached = made
            return made
        }
    }

    private func forget(_ conn: ClientConnection) {
        current.withLockedValue { if $0 === conn { $0 = nil } }
    }
}
