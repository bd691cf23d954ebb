import NIOConcurrencyHelpers
import NIOCore
import ParleyWire

/// The client end of a connection, on its event loop: matches RESPONSE frames to calls
/// by id, runs client-side deadlines, answers PING, and sorts calls into "not accepted"
/// (retry elsewhere) and "lost" when the server goes away.
///
/// `@unchecked Sendable`: every mutable field is touched only on the channel's event loop
/// (callers hop there with `eventLoop.execute`); `usable` is a locked box.
final class ClientHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = Frame
    typealias OutboundOut = Frame

    private struct PendingCall {
        /// For a streaming call: takes each message's body (throws when it does not decode).
        let onMessage: ((ByteBuffer) throws -> Void)?
        /// A unary call's final body; nil for a stream that ended well.
        let completion: (Result<ByteBuffer?, Error>) -> Void
        var timer: Scheduled<Void>?
        var receivedMessages = false
    }

    private let usable: NIOLockedValueBox<Bool>
    private var context: ChannelHandlerContext?
    private var hello: EventLoopPromise<Welcome>?
    private var pending: [UInt32: PendingCall] = [:]
    private var pings: [UInt64: (sent: NIODeadline, promise: EventLoopPromise<UInt64>)] = [:]
    private var nextPingToken: UInt64 = 0
    /// Set by GOAWAY: calls above this id were not processed.
    private var lastAcceptedCallID: UInt32?
    private var goAwayMessage = ""
    /// Why the connection ended, once it has (the first error, or the close): HELLO can
    /// be sent after the channel already failed, e.g. a TLS handshake refused at once,
    /// and must fail with this reason rather than wait for a reply that cannot come.
    private var ended: Error?

    init(usable: NIOLockedValueBox<Bool>) {
        self.usable = usable
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    // The context holds the pipeline, which holds this handler: let go of it, or the pair
    // outlives the connection (valgrind showed exactly that).
    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    // MARK: requests from the connection

    func sayHello(_ body: ByteBuffer, on eventLoop: EventLoop) -> EventLoopFuture<Welcome> {
        guard let context, ended == nil, context.channel.isActive else {
            return eventLoop.makeFailedFuture(ended ?? ClientError.unreachable("the connection closed"))
        }
        let promise = context.eventLoop.makePromise(of: Welcome.self)
        hello = promise
        context.writeAndFlush(wrapOutboundOut(Frame(type: .hello, body: body)), promise: nil)
        return promise.futureResult
    }

    func start(_ frame: Frame, timeoutMs: UInt32,
               onMessage: ((ByteBuffer) throws -> Void)?, completion: @escaping (Result<ByteBuffer?, Error>) -> Void) {
        guard let context, usable.withLockedValue({ $0 }) else {
            completion(.failure(ClientConnection.NotAccepted(reason: "the connection is closing")))
            return
        }
        var call = PendingCall(onMessage: onMessage, completion: completion)
        if timeoutMs > 0 {
            let callID = frame.callID
            let bound = NIOLoopBound(self, eventLoop: context.eventLoop)
            call.timer = context.eventLoop.scheduleTask(in: .milliseconds(Int64(timeoutMs))) {
                bound.value.cancel(callID, RPCError(.deadlineExceeded, "no answer within the deadline of \(timeoutMs) ms"))
            }
        }
        pending[frame.callID] = call
        context.writeAndFlush(wrapOutboundOut(frame), promise: nil)
    }

    /// Ends a call locally with `error` and tells the server to stop working on it.
    func cancel(_ callID: UInt32, _ error: RPCError) {
        guard let call = pending.removeValue(forKey: callID) else { return }
        call.timer?.cancel()
        context?.writeAndFlush(wrapOutboundOut(Frame(type: .cancel, callID: callID)), promise: nil)
        call.completion(.failure(error))
    }

    func ping() -> EventLoopFuture<UInt64> {
        // safe: only called on a connection that completed HELLO, so the handler is attached.
        let context = self.context!
        nextPingToken += 1
        let promise = context.eventLoop.makePromise(of: UInt64.self)
        pings[nextPingToken] = (.now(), promise)
        var body = context.channel.allocator.buffer(capacity: 8)
        body.writeInteger(nextPingToken)
        context.writeAndFlush(wrapOutboundOut(Frame(type: .ping, body: body)), promise: nil)
        return promise.futureResult
    }

    // MARK: frames from the server

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        switch frame.type {
        case .hello: receiveHelloReply(frame)
        case .response: receiveResponse(frame)
        case .ping: context.writeAndFlush(wrapOutboundOut(Frame(type: .pong, body: frame.body)), promise: nil)
        case .pong:
            var body = frame.body
            if let token = body.readInteger(as: UInt64.self), let p = pings.removeValue(forKey: token) {
                p.promise.succeed(UInt64((NIODeadline.now() - p.sent).nanoseconds))
            }
        case .goAway: receiveGoAway(frame)
        case .request, .cancel:
            context.close(promise: nil)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        usable.withLockedValue { $0 = false }
        let reason = goAwayMessage.isEmpty ? "the connection closed" : "the server went away: \(goAwayMessage)"
        if ended == nil { ended = ClientError.unreachable(reason) }
        hello?.fail(ClientError.unreachable(reason))
        hello = nil
        for (_, p) in pings { p.promise.fail(ClientError.connectionLost(reason)) }
        pings.removeAll()
        let calls = pending
        pending.removeAll()
        for (id, call) in calls.sorted(by: { $0.key < $1.key }) {
            call.timer?.cancel()
            if let last = lastAcceptedCallID, id > last {
                call.completion(.failure(ClientConnection.NotAccepted(reason: reason, sentMessages: call.receivedMessages)))
            } else {
                call.completion(.failure(ClientError.connectionLost("\(reason) while call \(id) was in flight; it may or may not have run")))
            }
        }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        // Before WELCOME the cause is the answer: a refused TLS handshake says why.
        if ended == nil { ended = error }
        hello?.fail(error)
        hello = nil
        context.close(promise: nil)
    }

    private func receiveHelloReply(_ frame: Frame) {
        guard let promise = hello else { return }
        hello = nil
        if frame.code == StatusCode.ok.rawValue {
            do {
                promise.succeed(Welcome(wire: try V1.Welcome(decoding: frame.body)))
            } catch {
                promise.fail(ClientError.unreachable("the server's Welcome does not decode: \(error)"))
            }
        } else {
            promise.fail(ClientError.rejected(error(from: frame)))
        }
    }

    private func receiveResponse(_ frame: Frame) {
        guard var call = pending[frame.callID] else { return }
        if frame.code != StatusCode.ok.rawValue {
            finish(frame.callID, .failure(error(from: frame)))
            return
        }
        if frame.flags.contains(.more) {
            call.receivedMessages = true
            pending[frame.callID] = call
            do {
                try call.onMessage?(frame.body)
            } catch {
                finish(frame.callID, .failure(RPCError(.internal, "the server's answer does not decode: \(error)")))
                context?.close(promise: nil)
            }
        } else if call.onMessage != nil {
            finish(frame.callID, .success(nil))
        } else {
            finish(frame.callID, .success(frame.body))
        }
    }

    private func receiveGoAway(_ frame: Frame) {
        usable.withLockedValue { $0 = false }
        lastAcceptedCallID = frame.callID
        goAwayMessage = (try? ResponseMetadata(wire: V1.ResponseMetadata(decoding: frame.meta)).message) ?? ""
        if let promise = hello {
            hello = nil
            promise.fail(ClientError.rejected(error(from: frame)))
        }
        // Calls above the accepted id will never be answered: hand them back for a retry.
        for id in pending.keys.sorted() where id > frame.callID {
            if let call = pending.removeValue(forKey: id) {
                call.timer?.cancel()
                call.completion(.failure(ClientConnection.NotAccepted(reason: "the server went away: \(goAwayMessage)",
                                                                      sentMessages: call.receivedMessages)))
            }
        }
    }

    private func finish(_ callID: UInt32, _ result: Result<ByteBuffer?, Error>) {
        guard let call = pending.removeValue(forKey: callID) else { return }
        call.timer?.cancel()
        call.completion(result)
    }

    private func error(from frame: Frame) -> RPCError {
        let status = StatusCode(rawValue: frame.code) ?? .unknown
        guard frame.meta.readableBytes > 0,
              let meta = try? ResponseMetadata(wire: V1.ResponseMetadata(decoding: frame.meta)) else {
            return RPCError(status, status.name)
        }
        return RPCError(status, meta.message, violations: meta.violations, retryAfterMs: meta.retryAfterMs)
    }
}
