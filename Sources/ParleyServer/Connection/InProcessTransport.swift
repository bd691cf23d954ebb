import Glibc
import NIOCore
import NIOPosix

/// The client's ends of an in-process connection: it reads the server's frames from
/// `input` and writes its own to `output`. The caller owns both descriptors.
public struct InProcessEnds: Sendable {
    public let input: CInt
    public let output: CInt
}

extension ParleyServer {
    /// Opens a connection to this server without a socket: two pipes in this process,
    /// the server's ends running the very pipeline a TCP connection gets (limits, frame
    /// decoding, HELLO, the call executor). Frames travel as bytes, as over TCP, so
    /// protocol tests run unchanged through either transport. No port is bound for it
    /// (the server need not be started). Its calls log the peer "in-process".
    public func connectInProcess() async throws -> InProcessEnds {
        try await makeInProcessConnection().get()
    }

    /// `connectInProcess` for callers that are not async.
    public func makeInProcessConnection() -> EventLoopFuture<InProcessEnds> {
        let loop = group.next()
        var toServer: [CInt] = [-1, -1]
        var toClient: [CInt] = [-1, -1]
        guard pipe(&toServer) == 0 else {
            return loop.makeFailedFuture(ServerError.configuration("cannot make a pipe: errno \(errno)"))
        }
        guard pipe(&toClient) == 0 else {
            close(toServer[0])
            close(toServer[1])
            return loop.makeFailedFuture(ServerError.configuration("cannot make a pipe: errno \(errno)"))
        }
        let ends = InProcessEnds(input: toClient[0], output: toServer[1])
        return NIOPipeBootstrap(group: loop)
            .channelOption(.autoRead, value: true)
            .channelInitializer { [self] channel in initializeConnection(channel, tls: nil) }
            .takingOwnershipOfDescriptors(input: toServer[0], output: toClient[1])
            .map { _ in ends }
            .flatMapErrorThrowing { error in
                close(ends.input)
                close(ends.output)
                throw ServerError.configuration("cannot start an in-process connection: \(error)")
            }
    }
}
