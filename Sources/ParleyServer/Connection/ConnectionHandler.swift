import Foundation
import Logging
import NIOCore
import ParleyWire

/// One client connection: the glue between frames and calls. It runs HELLO, turns each
/// REQUEST into a `CallRequest` for the executor (which owns admission, decoding,
/// deadlines, cancellation, error mapping and where work runs), and writes the executor's
/// answers back as RESPONSE frames. Lives on the channel's event loop.
///
/// Back-pressure: when `maxInFlightCalls` calls are outstanding the handler withholds
/// `read()`, so the kernel's socket buffer fills and the client slows down. Frames that
/// arrived in the same read are queued, not dropped.
///
/// `@unchecked Sendable`: every mutable field is touched only on the channel's event loop;
/// the executor reaches the handler through `NIOLoopBound`, which checks the loop.
final class ConnectionHandler: ChannelDuplexHandler, @unchecked Sendable {
    typealias InboundIn = Frame
    typealias OutboundIn = Frame
    typealias OutboundOut = Frame

    private enum State {
        case awaitingHello
        case ready(Principal)
        case closing
    }

    private let executor: CallExecutor
    private let keys: KeyStore
    private let configuration: ServerConfiguration
    private let limits: ServerLimits
    private let statistics: ServerStatistics
    private let connections: ConnectionRegistry
    private let logger: Logger
    /// This connection's number in the capture (`parleyd --record`).
    private let number: UInt32

    private var state = State.awaitingHello
    private var context: ChannelHandlerContext?
    /// How the executor answers this connection; made once, not per call.
    private var responder: (any CallResponder)?
    /// The peer's address for the call log.
    private var peer = "in-process"
    private var inFlight: [UInt32: RunningCall] = [:]
    /// Accepted calls waiting for an in-flight slot.
    private var queued = CircularBuffer<CallRequest>()
    private var highestAcceptedCallID: UInt32 = 0
    private var readWithheld = false
    private var counted = false
    private var shuttingDown = false
    /// Responses written since the last flush. Flushing once per read burst (and once per
    /// event-loop tick for answers from tasks) turns a pipeline of calls into one syscall.
    private var unflushed = false
    private var reading = false
    private var flushScheduled = false
    /// Bytes each unanswered call holds in `limits.requestMemory`.
    private var heldBytes: [UInt32: Int] = [:]

    init(executor: CallExecutor, keys: KeyStore, configuration: ServerConfiguration, limits: ServerLimits,
         statistics: ServerStatistics, connections: ConnectionRegistry, logger: Logger, number: UInt32) {
        self.number = number
        self.executor = executor
        self.keys = keys
        self.configuration = configuration
        self.limits = limits
        self.statistics = statistics
        self.connections = connections
        self.logger = logger
    }

    // MARK: channel events

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        responder = ConnectionResponder(handler: NIOLoopBound(self, eventLoop: context.eventLoop), loop: context.eventLoop)
    }

    // The context holds the pipeline, which holds this handler: let go of it, or the pair
    // outlives the connection (valgrind showed exactly that).
    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        responder = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        guard statistics.connectionOpened(limit: configuration.maxConnections) else {
            goAway(.resourceExhausted, "the server has its maximum of \(configuration.maxConnections) connections; retry later", close: true)
            return
        }
        counted = true
        // A connection without a peer address is an in-process one (pipes, no socket).
        peer = context.channel.remoteAddress.map { "\($0.ipAddress ?? "?"):\($0.port ?? 0)" } ?? "in-process"
        let bound = NIOLoopBound(self, eventLoop: context.eventLoop)
        connections.add(ObjectIdentifier(self), loop: context.eventLoop) { bound.value.beginShutdown() }
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        for call in inFlight.values { call.abandon() }
        inFlight.removeAll()
        queued.removeAll()
        limits.requestMemory.release(heldBytes.values.reduce(0, +))
        heldBytes.removeAll()
        state = .closing
        if counted {
            counted = false
            statistics.connectionClosed()
            connections.remove(ObjectIdentifier(self))
        }
        context.fireChannelInactive()
    }

    func read(context: ChannelHandlerContext) {
        if inFlight.count + queued.count >= configuration.maxInFlightCalls {
            readWithheld = true
        } else {
            context.read()
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        if let violation = error as? ProtocolViolation {
            goAway(violation.status, violation.message, close: true)
        } else if error is ByteToMessageDecoderError {
            // The decoder already failed once and the connection is closing.
            context.close(promise: nil)
        } else {
            logger.debug("connection error", metadata: ["error": "\(error)"])
            context.close(promise: nil)
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        reading = false
        flushIfNeeded()
        context.fireChannelReadComplete()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        reading = true
        switch frame.type {
        case .hello: receiveHello(frame)
        case .request: receiveRequest(frame)
        case .cancel: receiveCancel(frame)
        case .ping: write(Frame(type: .pong, body: frame.body))
        case .pong: break
        case .response, .goAway:
            if frame.type == .goAway, case .ready = state {
                // The client is leaving: finish what it asked for, then close.
                beginShutdown(sendGoAway: false)
            } else {
                goAway(.invalidArgument, "clients do not send \(frame.type) frames", close: true)
            }
        }
    }

    // MARK: frames

    private func receiveHello(_ frame: Frame) {
        guard case .awaitingHello = state else {
            goAway(.invalidArgument, "HELLO was already received on this connection", close: true)
            return
        }
        let hello: Hello
        do {
            hello = Hello(wire: try V1.Hello(decoding: frame.body))
        } catch {
            goAway(.invalidArgument, "HELLO body does not decode: \(error)", close: true)
            return
        }
        guard let principal = keys.authenticate(hello.apiKey) else {
            logger.info("rejected HELLO: unknown API key", metadata: ["client": "\(hello.clientName)"])
            let meta = try? ResponseMetadata(message: "the API key is not valid").wire.encoded(allocator: context?.channel.allocator ?? ByteBufferAllocator())
            write(Frame(type: .hello, code: StatusCode.unauthenticated.rawValue, meta: meta ?? ByteBuffer()))
            goAway(.unauthenticated, "the API key is not valid", close: true)
            return
        }
        state = .ready(principal)
        let welcome = Welcome(serverVersion: ParleyVersion.string, maxFrameSize: UInt32(configuration.maxFrameSize),
                              maxInFlightCalls: UInt32(configuration.maxInFlightCalls),
                              organizationID: principal.organizationID, role: principal.role.rawValue)
        guard let body = try? welcome.wire.encoded(allocator: context?.channel.allocator ?? ByteBufferAllocator()) else { return }
        write(Frame(type: .hello, code: StatusCode.ok.rawValue, body: body))
    }

    private func receiveRequest(_ frame: Frame) {
        guard case .ready = state else {
            if case .awaitingHello = state {
                goAway(.unauthenticated, "REQUEST before a successful HELLO", close: true)
            }
            return
        }
        // After GOAWAY no call is accepted: the client retries them elsewhere.
        guard !shuttingDown else { return }
        guard frame.callID != 0 else {
            goAway(.invalidArgument, "REQUEST with call id 0", close: true)
            return
        }
        guard inFlight[frame.callID] == nil, !queued.contains(where: { $0.callID == frame.callID }) else {
            goAway(.invalidArgument, "call id \(frame.callID) is already in flight", close: true)
            return
        }
        highestAcceptedCallID = max(highestAcceptedCallID, frame.callID)
        if let capture = configuration.capture {
            // The call goes on even if the capture cannot take it: recording is a side line.
            do { try capture.record(frame, connection: number) } catch {
                logger.warning("capture: \(error)")
            }
        }
        let request = CallRequest(callID: frame.callID, methodID: frame.code, meta: frame.meta, body: frame.body, peer: peer)
        let bytes = frame.encodedSize
        if let refusal = limits.requestMemory.reserve(bytes) {
            write(executor.refuse(request, refusal))
            return
        }
        heldBytes[frame.callID] = bytes
        if inFlight.count >= configuration.maxInFlightCalls {
            queued.append(request)
        } else {
            start(request)
        }
    }

    private func receiveCancel(_ frame: Frame) {
        if let index = queued.firstIndex(where: { $0.callID == frame.callID }) {
            let request = queued.remove(at: index)
            write(executor.refuse(request, RPCError(.cancelled, "cancelled by the client")))
        } else {
            inFlight[frame.callID]?.cancel()
        }
    }

    // MARK: calls

    private func start(_ request: CallRequest) {
        guard case .ready(let principal) = state, let context, let responder else { return }
        if let running = executor.start(request, principal: principal, on: context.eventLoop, responder: responder) {
            inFlight[request.callID] = running
        }
    }

    /// A streamed message of a call still in flight, flagged MORE; the future completes
    /// once the frame is handed to the socket.
    func sendStreamed(_ callID: UInt32, _ body: ByteBuffer, on loop: EventLoop) -> EventLoopFuture<Void> {
        guard let context, inFlight[callID] != nil else {
            return loop.makeFailedFuture(RPCError(.cancelled, "the call is no longer in flight"))
        }
        let frame = Frame(type: .response, callID: callID, code: StatusCode.ok.rawValue, flags: .more, body: body)
        return context.writeAndFlush(wrapOutboundOut(frame))
    }

    /// A call's final answer, from the executor (on this loop) or from a refusal here.
    func write(_ answer: CallAnswer) {
        let wasRunning = inFlight.removeValue(forKey: answer.callID) != nil
        if let bytes = heldBytes.removeValue(forKey: answer.callID) { limits.requestMemory.release(bytes) }
        let frame = Frame(type: .response, callID: answer.callID, code: answer.status.rawValue, meta: answer.meta, body: answer.body)
        if let capture = configuration.capture {
            // The answer too, for `parley-load replay --verify` (docs/LOAD.md).
            do { try capture.record(frame, connection: number) } catch {
                logger.warning("capture: \(error)")
            }
        }
        write(frame)
        if answer.closesConnection {
            goAway(.unauthenticated, "the API key of this connection was revoked", close: true)
        }
        // Answers given while a call was being started do not drain: `start` is running.
        if wasRunning { drainQueue() }
    }

    private func drainQueue() {
        while inFlight.count < configuration.maxInFlightCalls, let next = queued.popFirst() {
            start(next)
        }
        if readWithheld, inFlight.count + queued.count < configuration.maxInFlightCalls {
            readWithheld = false
            context?.read()
        }
        if shuttingDown, inFlight.isEmpty, queued.isEmpty {
            // Answers still buffered must reach the client before the close.
            flushIfNeeded()
            context?.close(promise: nil)
        }
    }

    // MARK: connection life

    /// Graceful shutdown: tell the client which calls were accepted, finish them, close.
    func beginShutdown(sendGoAway: Bool = true) {
        guard !shuttingDown else { return }
        shuttingDown = true
        if sendGoAway {
            goAway(.unavailable, "the server is shutting down; calls above id \(highestAcceptedCallID) were not processed", close: false)
        }
        drainQueue()
    }

    private func goAway(_ status: StatusCode, _ message: String, close: Bool) {
        guard let context else { return }
        let meta = (try? ResponseMetadata(message: message).wire.encoded(allocator: context.channel.allocator)) ?? ByteBuffer()
        let frame = Frame(type: .goAway, callID: highestAcceptedCallID, code: status.rawValue, meta: meta)
        if close {
            state = .closing
            let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
            context.writeAndFlush(wrapOutboundOut(frame)).whenComplete { _ in bound.value.close(promise: nil) }
        } else {
            context.writeAndFlush(wrapOutboundOut(frame), promise: nil)
        }
    }

    private func write(_ frame: Frame) {
        guard let context else { return }
        context.write(wrapOutboundOut(frame), promise: nil)
        unflushed = true
        if !reading, !flushScheduled {
            flushScheduled = true
            let bound = NIOLoopBound(self, eventLoop: context.eventLoop)
            context.eventLoop.execute { bound.value.flushIfNeeded() }
        }
    }

    private func flushIfNeeded() {
        flushScheduled = false
        guard unflushed else { return }
        unflushed = false
        context?.flush()
    }

    /// The `IdleStateHandler` before this one saw no read for `idleTimeoutMs`: an idle
    /// connection (nothing in flight, nothing queued) is closed; a busy one is left alone
    /// and checked again after the next timeout.
    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard let idle = event as? IdleStateHandler.IdleStateEvent, idle == .read else {
            context.fireUserInboundEventTriggered(event)
            return
        }
        if inFlight.isEmpty, queued.isEmpty {
            goAway(.unavailable, "no frame for \(configuration.idleTimeoutMs) ms; closing the idle connection", close: true)
        }
    }
}
