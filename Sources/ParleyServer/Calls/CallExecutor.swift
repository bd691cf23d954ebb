import Foundation
import Logging
import NIOCore
import ParleyWire

/// Runs calls, apart from any transport: decides whether a call may run (method, call
/// metadata, revocation, permission, rate), decodes it, runs its handler where it belongs,
/// holds it to its deadline, honours cancellation, and turns the outcome into one encoded
/// answer. It knows nothing of sockets: the TCP connection and the in-process transport
/// hand it `CallRequest`s and write the `CallAnswer`s it delivers to their `CallResponder`.
///
/// Where work runs:
/// - on the caller's event loop: the admission checks, handlers registered `inline`
///   (they neither block nor wait: ServerInfo), and decoding of requests up to
///   `inlineDecodeBytes`;
/// - as a task on Swift's cooperative pool, never on an event loop: every other handler
///   (store reads among them) and the decoding of larger requests, such as a LogTurns
///   batch of megabytes;
/// - commits wait for the store's writer threads (`ParleyStore`), so an fsync blocks
///   neither an event loop nor a pool thread.
///
/// Errors: a handler's error becomes its status (`RPCError(wrapping:)`); an internal
/// error's text never reaches the client, which gets a reference id that the server log
/// carries next to the detail.
public struct CallExecutor: Sendable {
    let services: ServiceRegistry
    let keys: KeyStore
    let keyRate: KeyRateLimiter
    let statistics: ServerStatistics
    let logger: Logger
    let slowCallNanoseconds: Int64
    let allocator = ByteBufferAllocator()

    /// Request bodies above this many bytes are decoded in the call's task.
    static let inlineDecodeBytes = 16 * 1024

    init(services: ServiceRegistry, keys: KeyStore, keyRate: KeyRateLimiter, statistics: ServerStatistics,
         logger: Logger, slowCallMs: Int64) {
        self.services = services
        self.keys = keys
        self.keyRate = keyRate
        self.statistics = statistics
        self.logger = logger
        slowCallNanoseconds = slowCallMs * 1_000_000
    }

    /// Starts `request` for `principal`; call it on `loop`, where answers are delivered.
    /// A call that is refused, inline or already past its deadline is answered before this
    /// returns, and nil is returned; otherwise the running call, answered later.
    public func start(_ request: CallRequest, principal: Principal, on loop: EventLoop,
                      responder: any CallResponder) -> RunningCall? {
        func refuse(_ error: RPCError, closesConnection: Bool = false) -> RunningCall? {
            var answer = self.answer(request, .failure(error))
            answer.closesConnection = closesConnection
            responder.answer(answer)
            return nil
        }
        guard let method = Method(rawValue: request.methodID) else {
            return refuse(RPCError(.unimplemented, "unknown method id \(request.methodID)"))
        }
        let metadata: CallMetadata
        do {
            metadata = request.meta.readableBytes == 0
                ? CallMetadata() : CallMetadata(wire: try V1.CallMetadata(decoding: request.meta))
        } catch {
            return refuse(RPCError(.invalidArgument, "call metadata does not decode: \(error)"))
        }
        // Revocation holds on open connections: the key is looked up again for every call.
        guard keys.isActive(keyID: principal.keyID) else {
            return refuse(RPCError(.unauthenticated, "the API key of this connection was revoked"), closesConnection: true)
        }
        let permission = Permission.required(for: method)
        guard permission.isGranted(to: principal) else {
            return refuse(permission.refusal(method, for: principal))
        }
        if let refusal = keyRate.admit(keyID: principal.keyID) {
            return refuse(refusal)
        }
        guard let handler = services.handler(for: method) else {
            return refuse(RPCError(.unimplemented, "\(method.name) is not implemented by this server"))
        }
        var prepared: PreparedCall?
        if request.body.readableBytes <= Self.inlineDecodeBytes {
            do {
                prepared = try Self.decode(request.body, with: handler)
            } catch {
                return refuse(RPCError(wrapping: error))
            }
        }
        let deadline = metadata.timeoutMs > 0 ? request.receivedAt + .milliseconds(Int64(metadata.timeoutMs)) : nil
        if let deadline, deadline <= .now() {
            return refuse(RPCError(.deadlineExceeded, "the deadline of \(metadata.timeoutMs) ms passed before the call could start"))
        }
        let call = CallContext(method: method, callID: request.callID, metadata: metadata, principal: principal,
                               deadline: deadline, receivedAtMs: Int64(Date().timeIntervalSince1970 * 1000))
        if case .inline(let body) = prepared {
            responder.answer(answer(request, Result { try body(call) }.mapError(RPCError.init(wrapping:))))
            return nil
        }

        let running = RunningCall(request: request, executor: self, responder: responder)
        statistics.metrics.callStarted()
        let task = Task { [prepared, allocator] in
            let result: Result<(any WireMessage)?, RPCError>
            do {
                let work = try prepared ?? Self.decode(request.body, with: handler)
                try call.checkStillWanted()
                switch work {
                case .inline(let body):
                    result = .success(try body(call))
                case .unary(let body):
                    result = .success(try await body(call))
                case .stream(let body):
                    let sink = ResponseSink { message in
                        try await responder.send(request.callID, streamed: try message.encoded(allocator: allocator))
                    }
                    try await body(call, sink)
                    result = .success(nil)
                }
            } catch {
                result = .failure(RPCError(wrapping: error))
            }
            loop.execute { running.complete(result) }
        }
        var timer: Scheduled<Void>?
        if let deadline {
            timer = loop.scheduleTask(deadline: deadline) {
                running.complete(.failure(RPCError(.deadlineExceeded, "the deadline of \(metadata.timeoutMs) ms passed")))
            }
        }
        running.attach(task: task, timer: timer)
        return running
    }

    /// Answers a call the transport refuses before it reaches `start` (the server's request
    /// memory is full, the client cancelled it while it waited for a slot): the same
    /// statuses, counters and call log as a call that ran.
    public func refuse(_ request: CallRequest, _ error: RPCError) -> CallAnswer {
        answer(request, .failure(error))
    }

    /// Decodes the request; a body that does not decode is the caller's fault (3), with
    /// the field named when the bridge knows it.
    private static func decode(_ body: ByteBuffer, with handler: MethodHandler) throws -> PreparedCall {
        do {
            return try handler.prepare(body)
        } catch let error as BridgeError {
            let violations = error.field.map { [FieldViolation(field: $0, reason: error.message)] } ?? []
            throw RPCError(.invalidArgument, "request does not decode: \(error)", violations: violations)
        } catch {
            throw RPCError(.invalidArgument, "request does not decode: \(error)")
        }
    }

    /// The outcome as the frame to send: encoded, redacted, counted, logged when it failed
    /// or was slow.
    func answer(_ request: CallRequest, _ result: Result<(any WireMessage)?, RPCError>) -> CallAnswer {
        var answer = CallAnswer(callID: request.callID, status: .ok, body: ByteBuffer(), meta: ByteBuffer())
        var failure: RPCError?
        switch result {
        case .success(let message):
            do {
                if let message { answer.body = try message.encoded(allocator: allocator) }
            } catch {
                failure = RPCError(.internal, "the \(Method(rawValue: request.methodID)?.name ?? "") response does not encode: \(error)")
            }
        case .failure(let error):
            failure = error
        }
        if let failure {
            let shown = redactingInternal(failure, request: request)
            answer.status = shown.status
            answer.meta = (try? ResponseMetadata(shown).wire.encoded(allocator: allocator)) ?? ByteBuffer()
        }
        let elapsed = NIODeadline.now() - request.receivedAt
        statistics.callFinished(method: request.methodID, status: answer.status, duration: .nanoseconds(elapsed.nanoseconds))
        if answer.status != .ok || elapsed.nanoseconds >= slowCallNanoseconds {
            logCall(request, status: answer.status, elapsed: elapsed)
        }
        return answer
    }

    /// An internal error's text can name files, keys or code paths: the client gets a
    /// reference id, the server log the detail under the same id.
    private func redactingInternal(_ error: RPCError, request: CallRequest) -> RPCError {
        guard error.status == .internal else { return error }
        let reference = String(UInt64.random(in: 0...UInt64.max), radix: 16)
        logger.error("internal error", metadata: [
            "reference": "\(reference)",
            "method": "\(Method(rawValue: request.methodID)?.name ?? "unknown method \(request.methodID)")",
            "detail": "\(error.message)",
        ])
        return RPCError(.internal, "internal error; the server log has the detail under reference \(reference)")
    }

    /// The one line a failed or slow call gets: identifiers, never a body or a key.
    private func logCall(_ request: CallRequest, status: StatusCode, elapsed: TimeAmount) {
        logger.notice(status == .ok ? "slow call" : "failed call", metadata: [
            "call_id": "\(request.callID)",
            "method": "\(Method(rawValue: request.methodID)?.name ?? "unknown method \(request.methodID)")",
            "peer": "\(request.peer)",
            "status": "\(status.name)",
            "duration_ms": "\(Double(elapsed.nanoseconds) / 1e6)",
        ])
    }
}
