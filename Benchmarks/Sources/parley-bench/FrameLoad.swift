import Dispatch
import NIOCore
import NIOPosix
import ParleyLoad
import ParleyWire

/// A lean load generator for Parley, the counterpart of redis-benchmark: each connection
/// says HELLO, then keeps `depth` copies of one pre-encoded REQUEST in flight, recording
/// every call's latency. All connections share one event loop thread, as redis-benchmark
/// runs on one thread.
enum FrameLoad {
    struct Result {
        var calls: Int
        var seconds: Double
        var latencies: LatencyRecorder
        var failures: Int
        var callsPerSecond: Double { Double(calls) / seconds }
    }

    /// `ratePerSecond`: pace the calls (open loop) instead of sending as fast as answers come.
    static func run(port: Int, key: String, connections: Int, depth: Int, totalCalls: Int,
                    request: RequestTemplate, ratePerSecond: Double? = nil) async throws -> Result {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        do {
            let result = try await run(group: group, port: port, key: key, connections: connections, depth: depth,
                                       totalCalls: totalCalls, request: request, ratePerSecond: ratePerSecond)
            try await group.shutdownGracefully()
            return result
        } catch {
            try? await group.shutdownGracefully()
            throw error
        }
    }

    private static func run(group: EventLoopGroup, port: Int, key: String, connections: Int, depth: Int, totalCalls: Int,
                            request: RequestTemplate, ratePerSecond: Double?) async throws -> Result {
        let perConnection = totalCalls / connections
        let hello = try Hello(clientName: "parley-bench", apiKey: key).wire.encoded(allocator: ByteBufferAllocator())
        var handlers: [LoadHandler] = []
        var channels: [Channel] = []
        let start = DispatchTime.now().uptimeNanoseconds
        let interval = ratePerSecond.map { Int64(Double(connections) / $0 * 1e9) }
        for c in 0..<connections {
            // Connections are staggered across one interval so paced calls arrive evenly,
            // not in bursts of one per connection.
            let phase = interval.map { $0 * Int64(c) / Int64(connections) } ?? 0
            let handler = LoadHandler(calls: perConnection, depth: depth, request: request, firstNumber: c * perConnection,
                                      interval: interval, phase: phase, hello: hello, done: group.next().makePromise())
            handlers.append(handler)
            let channel = try await ClientBootstrap(group: group)
                .channelOption(.socketOption(.tcp_nodelay), value: 1)
                .channelInitializer { ch in
                    ch.eventLoop.makeCompletedFuture {
                        try ch.pipeline.syncOperations.addHandlers([ByteToMessageHandler(FrameDecoder()), handler])
                    }
                }
                .connect(host: "127.0.0.1", port: port).get()
            channels.append(channel)
        }
        for h in handlers { try await h.done.futureResult.get() }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        var all = LatencyRecorder()
        var failures = 0
        for h in handlers {
            all.merge(h.latencies)
            failures += h.failures
        }
        for c in channels { try? await c.close() }
        return Result(calls: perConnection * connections, seconds: seconds, latencies: all, failures: failures)
    }
}

// @unchecked: lives on one channel's event loop; the fields are read by the driver only
// after `done` completed on that loop.
private final class LoadHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = Frame
    typealias OutboundOut = ByteBuffer

    let done: EventLoopPromise<Void>
    private(set) var latencies = LatencyRecorder()
    private(set) var failures = 0
    private let total: Int
    private let depth: Int
    private var request: RequestTemplate
    private let firstNumber: Int
    /// Nanoseconds between sends when paced; nil sends as soon as a slot frees.
    private let interval: Int64?
    private let phase: Int64
    private var startedAt = NIODeadline.now()
    private let hello: ByteBuffer
    private var sent = 0
    private var received = 0
    private var sentAt: [UInt64]

    init(calls: Int, depth: Int, request: RequestTemplate, firstNumber: Int, interval: Int64?, phase: Int64, hello: ByteBuffer,
         done: EventLoopPromise<Void>) {
        total = calls
        self.depth = depth
        self.request = request
        self.firstNumber = firstNumber
        self.interval = interval
        self.phase = phase
        self.hello = hello
        self.done = done
        sentAt = Array(repeating: 0, count: calls + 1)
    }

    func channelActive(context: ChannelHandlerContext) {
        var b = ByteBuffer()
        Frame(type: .hello, body: hello).write(to: &b)
        context.writeAndFlush(wrapOutboundOut(b), promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        switch frame.type {
        case .hello:
            guard frame.code == 0 else {
                done.fail(BenchError("HELLO rejected with status \(frame.code)"))
                return
            }
            startedAt = .now()
            for _ in 0..<min(depth, total) { send(context) }
            context.flush()
        case .response:
            let now = DispatchTime.now().uptimeNanoseconds
            let id = Int(frame.callID)
            if id < sentAt.count { latencies.record(nanoseconds: now - sentAt[id]) }
            if frame.code != 0 { failures += 1 }
            received += 1
            if sent < total {
                send(context)
            } else if received == total {
                done.succeed(())
            }
        default:
            break
        }
    }

    // Like redis-benchmark, requests answered in one read are refilled with one write.
    func channelReadComplete(context: ChannelHandlerContext) {
        context.flush()
    }

    private func send(_ context: ChannelHandlerContext) {
        sent += 1
        let callID = sent
        if let interval {
            // Open loop: call n leaves at start + n * interval, whatever the answers do.
            let due = startedAt + .nanoseconds(phase + Int64(callID) * interval)
            let bound = NIOLoopBound(self, eventLoop: context.eventLoop)
            let boundContext = NIOLoopBound(context, eventLoop: context.eventLoop)
            context.eventLoop.scheduleTask(deadline: due) {
                bound.value.transmit(boundContext.value, callID: callID)
                boundContext.value.flush()
            }
        } else {
            transmit(context, callID: callID)
        }
    }

    private func transmit(_ context: ChannelHandlerContext, callID: Int) {
        sentAt[callID] = DispatchTime.now().uptimeNanoseconds
        context.write(wrapOutboundOut(request.frame(callID: UInt32(callID), number: firstNumber + callID)), promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        done.fail(BenchError("the server closed the connection after \(received) of \(total) calls"))
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        done.fail(error)
        context.close(promise: nil)
    }
}
