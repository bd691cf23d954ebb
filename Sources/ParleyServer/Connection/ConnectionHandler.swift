import Foundation
import Logging
import NIOCore
import ParleyWire

/// One client connection: HELLO, then calls. Lives on the channel's event loop; handler
/// tasks come back to it through `loop.execute` to answer.
///
/// Back-pressure: when `maxInFlightCalls` calls are outstanding the handler withholds
/// `read()`, so the kernel's socket buffer fills and the client slows down. Frames that
/// arrived in the same read are queued, not dropped.
final class ConnectionHandler: ChannelDuplexHandler, @unchecked Sendable {
    typealias InboundIn = Frame
    typealias OutboundIn = Frame
    typealias OutboundOut = Frame

    private enum State {
        case awaitingHello
        case ready(Principal)
        case closing
    }

    private struct InFlightCall {
        var task: Task<Void, Never>?
        var deadlineTimer: Scheduled<Void>?
        let method: Method
        let receivedAt: NIODeadline
    }

    private let services: ServiceRegistry
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
    private var inFlight: [UInt32: InFlightCall] = [:]
    /// Accepted calls waiting for an in-flight slot, with the time each arrived.
    private var queued = CircularBuffer<(frame: Frame, receivedAt: NIODeadline)>()
    private var highestAcceptedCallID: UInt32 = 0
    private var readWithheld = false
    private var counted = false
    private var shuttingDown = false
    private var lastFrameAt = NIODeadline.now()
    /// Responses written since the last flush. Flushing once per read burst (and once per
    /// event-loop tick for answers from tasks) turns a pipeline of calls into one syscall.
    private var unflushed = false
    private var reading = false
    private var flushScheduled = false
    private var idleTimer: Scheduled<Void>?
    /// Bytes each unanswered call holds in `limits.requestMemory`.
    private var heldBytes: [UInt32: Int] = [:]

    init(services: ServiceRegistry, keys: KeyStore, configuration: ServerConfiguration, limits: ServerLimits,
         statistics: ServerStatistics, connections: ConnectionRegistry, logger: Logger, number: UInt32) {
        self.number = number
        self.services = services
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
    }

    // The context holds the pipeline, which holds this handler: let go of it, or the pair
    // outlives the connection (valgrind showed exactly that).
    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        guard statistics.connectionOpened(limit: configuration.maxConnections) else {
            goAway(.resourceExhausted, "the server has its maximum of \(configuration.maxConnections) connections; retry later", close: true)
            return
        }
        counted = true
        let bound = NIOLoopBound(self, eventLoop: context.eventLoop)
        connections.add(ObjectIdentifier(self), loop: context.eventLoop) { bound.value.beginShutdown() }
        scheduleIdleCheck(after: configuration.idleTimeoutMs)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        for call in inFlight.values {
            call.task?.cancel()
            call.deadlineTimer?.cancel()
            statistics.metrics.callEnded()
        }
        inFlight.removeAll()
        queued.removeAll()
        limits.requestMemory.release(heldBytes.values.reduce(0, +))
        heldBytes.removeAll()
        idleTimer?.cancel()
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
        lastFrameAt = .now()
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
        guard inFlight[frame.callID] == nil, !queued.contains(where: { $0.frame.callID == frame.callID }) else {
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
        let bytes = frame.encodedSize
        if let refusal = limits.requestMemory.reserve(bytes) {
            respond(frame.callID, method: frame.code, receivedAt: .now(), .failure(refusal))
            return
        }
        heldBytes[frame.callID] = bytes
        if inFlight.count >= configuration.maxInFlightCalls {
            queued.append((frame, .now()))
        } else {
            start(frame, receivedAt: .now())
        }
    }

    private func receiveCancel(_ frame: Frame) {
        if let index = queued.firstIndex(where: { $0.frame.callID == frame.callID }) {
            let (request, receivedAt) = queued.remove(at: index)
            respond(request.callID, method: request.code, receivedAt: receivedAt, .failure(RPCError(.cancelled, "cancelled by the client")))
        } else if inFlight[frame.callID] != nil {
            finish(frame.callID, .failure(RPCError(.cancelled, "cancelled by the client")))
        }
    }

    // MARK: calls

    private func start(_ frame: Frame, receivedAt: NIODeadline) {
        guard case .ready(let principal) = state, let context else { return }
        let callID = frame.callID
        guard let method = Method(rawValue: frame.code) else {
            respond(callID, method: frame.code, receivedAt: receivedAt, .failure(RPCError(.unimplemented, "unknown method id \(frame.code)")))
            return
        }
        let metadata: CallMetadata
        do {
            metadata = frame.meta.readableBytes == 0
                ? CallMetadata() : CallMetadata(wire: try V1.CallMetadata(decoding: frame.meta))
        } catch {
            respond(callID, method: frame.code, receivedAt: receivedAt, .failure(RPCError(.invalidArgument, "call metadata does not decode: \(error)")))
            return
        }
        // Revocation holds on open connections: the key is looked up again for every call.
        guard keys.isActive(keyID: principal.keyID) else {
            respond(callID, method: frame.code, receivedAt: receivedAt, .failure(RPCError(.unauthenticated, "the API key of this connection was revoked")))
            goAway(.unauthenticated, "the API key of this connection was revoked", close: true)
            return
        }
        let permission = Permission.required(for: method)
        guard permission.isGranted(to: principal) else {
            respond(callID, method: frame.code, receivedAt: receivedAt, .failure(permission.refusal(method, for: principal)))
            return
        }
        if let refusal = limits.keyRate.admit(keyID: principal.keyID) {
            respond(callID, method: frame.code, receivedAt: receivedAt, .failure(refusal))
            return
        }
        guard let handler = services.handler(for: method) else {
            respond(callID, method: frame.code, receivedAt: receivedAt, .failure(RPCError(.unimplemented, "\(method.name) is not implemented by this server")))
            return
        }
        let prepared: PreparedCall
        do {
            prepared = try handler.prepare(frame.body)
        } catch let error as BridgeError {
            let violations = error.field.map { [FieldViolation(field: $0, reason: error.message)] } ?? []
            respond(callID, method: frame.code, receivedAt: receivedAt, .failure(RPCError(.invalidArgument, "request does not decode: \(error)", violations: violations)))
            return
        } catch {
            respond(callID, method: frame.code, receivedAt: receivedAt, .failure(RPCError(.invalidArgument, "request does not decode: \(error)")))
            return
        }
        let deadline = metadata.timeoutMs > 0 ? receivedAt + .milliseconds(Int64(metadata.timeoutMs)) : nil
        let call = CallContext(method: method, callID: callID, metadata: metadata, principal: principal,
                               deadline: deadline, receivedAtMs: Int64(Date().timeIntervalSince1970 * 1000))

        if let deadline, deadline <= .now() {
            respond(callID, method: method.rawValue, receivedAt: receivedAt, .failure(RPCError(.deadlineExceeded, "the deadline of \(metadata.timeoutMs) ms passed before the call could start")))
            return
        }
        if case .inline(let body) = prepared {
            respond(callID, method: method.rawValue, receivedAt: receivedAt, Result { try body(call) }.mapError(RPCError.init(wrapping:)))
            return
        }

        inFlight[callID] = InFlightCall(method: method, receivedAt: receivedAt)
        statistics.metrics.callStarted()
        let loop = context.eventLoop
        let bound = NIOLoopBound(self, eventLoop: loop)
        let task = Task {
            let result: Result<(any WireMessage)?, RPCError>
            do {
                try call.checkStillWanted()
                switch prepared {
                case .unary(let body):
                    result = .success(try await body(call))
                case .stream(let body):
                    let sink = ResponseSink { message in
                        try await loop.flatSubmit { bound.value.sendStreamed(callID, message, on: loop) }.get()
                    }
                    try await body(call, sink)
                    result = .success(nil)
                case .inline:
                    result = .failure(RPCError(.internal, "inline handler reached the task path"))
                }
            } catch {
                result = .failure(RPCError(wrapping: error))
            }
            loop.execute { bound.value.finish(callID, result) }
        }
        inFlight[callID]?.task = task
        if let deadline {
            inFlight[callID]?.deadlineTimer = loop.scheduleTask(deadline: deadline) {
                bound.value.finish(callID, .failure(RPCError(.deadlineExceeded, "the deadline of \(metadata.timeoutMs) ms passed")))
            }
        }
    }

    private func sendStreamed(_ callID: UInt32, _ message: any WireMessage, on loop: EventLoop) -> EventLoopFuture<Void> {
        guard let context, inFlight[callID] != nil else {
            return loop.makeFailedFuture(RPCError(.cancelled, "the call is no longer in flight"))
        }
        do {
            let body = try message.encoded(allocator: context.channel.allocator)
            let frame = Frame(type: .response, callID: callID, code: StatusCode.ok.rawValue, flags: .more, body: body)
            return context.writeAndFlush(wrapOutboundOut(frame))
        } catch {
            return context.eventLoop.makeFailedFuture(RPCError(wrapping: error))
        }
    }

    /// Answers a call that was in flight, unless it was already answered (cancel, deadline).
    private func finish(_ callID: UInt32, _ result: Result<(any WireMessage)?, RPCError>) {
        guard let call = inFlight.removeValue(forKey: callID) else { return }
        call.deadlineTimer?.cancel()
        statistics.metrics.callEnded()
        if case .failure(let error) = result, error.status == .cancelled || error.status == .deadlineExceeded {
            call.task?.cancel()
        }
        respond(callID, method: call.method.rawValue, receivedAt: call.receivedAt, result.map { $0 })
        drainQueue()
    }

    private func respond(_ callID: UInt32, method: UInt16, receivedAt: NIODeadline, _ result: Result<(any WireMessage)?, RPCError>) {
        guard let context else { return }
        var frame = Frame(type: .response, callID: callID)
        var status = StatusCode.ok
        switch result {
        case .success(let message):
            do {
                if let message { frame.body = try message.encoded(allocator: context.channel.allocator) }
            } catch {
                logger.error("response does not encode", metadata: ["method": "\(method)", "error": "\(error)"])
                status = .internal
                frame.meta = (try? ResponseMetadata(message: "the response could not be encoded").wire.encoded(allocator: context.channel.allocator)) ?? ByteBuffer()
            }
        case .failure(let error):
            status = error.status
            frame.meta = (try? ResponseMetadata(redactingInternal(error, method: method)).wire.encoded(allocator: context.channel.allocator)) ?? ByteBuffer()
        }
        frame.code = status.rawValue
        if let bytes = heldBytes.removeValue(forKey: callID) { limits.requestMemory.release(bytes) }
        let elapsed = NIODeadline.now() - receivedAt
        statistics.callFinished(method: method, status: status, duration: .nanoseconds(elapsed.nanoseconds))
        if status != .ok || elapsed.nanoseconds >= configuration.slowCallMs * 1_000_000 {
            logCall(callID, method: method, status: status, elapsed: elapsed)
        }
        if let capture = configuration.capture {
            // The answer too, for `parley-load replay --verify` (docs/LOAD.md).
            do { try capture.record(frame, connection: number) } catch {
                logger.warning("capture: \(error)")
            }
        }
        write(frame)
    }

    /// The one line a failed or slow call gets: identifiers, never a body or a key.
    private func logCall(_ callID: UInt32, method: UInt16, status: StatusCode, elapsed: TimeAmount) {
        let peer = context?.channel.remoteAddress.map { "\($0.ipAddress ?? "?"):\($0.port ?? 0)" } ?? "unknown"
        logger.notice(status == .ok ? "slow call" : "failed call", metadata: [
            "call_id": "\(callID)",
            "method": "\(Method(rawValue: method)?.name ?? "unknown method \(method)")",
            "peer": "\(peer)",
            "status": "\(status.name)",
            "duration_ms": "\(Double(elapsed.nanoseconds) / 1e6)",
        ])
    }

    /// An internal error's text can name files, keys or code paths: the client gets a
    /// reference id, the server log the detail under the same id.
    private func redactingInternal(_ error: RPCError, method: UInt16) -> RPCError {
        guard error.status == .internal else { return error }
        let reference = String(UInt64.random(in: 0...UInt64.max), radix: 16)
        logger.error("internal error", metadata: ["reference": "\(reference)", "method": "\(method)", "detail": "\(error.message)"])
        return RPCError(.internal, "internal error; the server log has the detail under reference \(reference)")
    }

    private func drainQueue() {
        while inFlight.count < configuration.maxInFlightCalls, let next = queued.popFirst() {
            start(next.frame, receivedAt: next.receivedAt)
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
            context.writeAndFlush(wrapOutboundOut(frame)).whenComplete { _ in context.close(promise: nil) }
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

    private func scheduleIdleCheck(after ms: Int64) {
        guard let context else { return }
        let bound = NIOLoopBound(self, eventLoop: context.eventLoop)
        idleTimer = context.eventLoop.scheduleTask(in: .milliseconds(max(ms, 1))) { bound.value.checkIdle() }
    }

    private func checkIdle() {
        let idleFor = (NIODeadline.now() - lastFrameAt).nanoseconds / 1_000_000
        if inFlight.isEmpty, queued.isEmpty, idleFor >= configuration.idleTimeoutMs {
            goAway(.unavailable, "no frame for \(configuration.idleTimeoutMs) ms; closing the idle connection", close: true)
        } else {
            scheduleIdleCheck(after: inFlight.isEmpty ? configuration.idleTimeoutMs - idleFor : configuration.idleTimeoutMs)
        }
    }
}

extension RPCError {
    /// Any error a handler throws, as the status the caller sees.
    public init(wrapping error: Error) {
        switch error {
        case let e as RPCError: self = e
        case is CancellationError: self = RPCError(.cancelled, "the call was cancelled")
        case let e as BridgeError: self = RPCError(.internal, "a response did not encode: \(e)")
        default: self = RPCError(.internal, "\(error)")
        }
    }
}
