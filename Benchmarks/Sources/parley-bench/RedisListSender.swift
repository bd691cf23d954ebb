import NIOCore
import NIOPosix
import ParleyLoad
import ParleyWire

/// The load suite's peer: each replayed frame's bytes LPUSHed to one Redis list, on one
/// connection per replay connection, answered in order (RESP replies come in order).
final class RedisListSender: CallSender {
    private let channels: [Channel]
    static let key = "parley:load"

    private init(channels: [Channel]) {
        self.channels = channels
    }

    static func connect(port: Int, connections: Int, group: EventLoopGroup) async throws -> RedisListSender {
        var channels: [Channel] = []
        for _ in 0..<connections {
            channels.append(try await ClientBootstrap(group: group)
                .channelOption(.socketOption(.tcp_nodelay), value: 1)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(RedisReplyHandler()) }
                }
                .connect(host: "127.0.0.1", port: port).get())
        }
        return RedisListSender(channels: channels)
    }

    func send(_ frame: Frame, connection: Int) async throws -> CallAnswer {
        let channel = channels[connection]
        var value = ByteBuffer()
        frame.write(to: &value)
        var command = channel.allocator.buffer(capacity: value.readableBytes + 64)
        command.writeString("*3\r\n$5\r\nLPUSH\r\n$\(Self.key.utf8.count)\r\n\(Self.key)\r\n$\(value.readableBytes)\r\n")
        command.writeBuffer(&value)
        command.writeString("\r\n")
        let reply = channel.eventLoop.makePromise(of: Bool.self)
        try await channel.writeAndFlush(RedisCommand(bytes: command, reply: reply))
        return CallAnswer(status: try await reply.futureResult.get() ? .ok : .internal)
    }

    func close() async {
        for channel in channels { try? await channel.close() }
    }
}

/// One command on its way out and the promise its reply fulfils.
struct RedisCommand: Sendable {
    var bytes: ByteBuffer
    var reply: EventLoopPromise<Bool>
}

/// Writes commands and fulfils their promises in order from the integer (`:n`, true) or
/// error (`-...`, false) replies LPUSH gets.
private final class RedisReplyHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = RedisCommand
    typealias OutboundOut = ByteBuffer

    private var waiting = CircularBuffer<EventLoopPromise<Bool>>()
    private var pending = ByteBuffer()

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let command = unwrapOutboundIn(data)
        waiting.append(command.reply)
        context.write(wrapOutboundOut(command.bytes), promise: promise)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = unwrapInboundIn(data)
        pending.writeBuffer(&bytes)
        while let line = pending.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) {
            let length = line - pending.readerIndex + 1
            guard let first = pending.readBytes(length: length)?.first else { break }
            waiting.popFirst()?.succeed(first == UInt8(ascii: ":"))
        }
        pending.discardReadBytes()
    }

    func channelInactive(context: ChannelHandlerContext) {
        while let promise = waiting.popFirst() { promise.fail(ChannelError.ioOnClosedChannel) }
        context.fireChannelInactive()
    }
}
