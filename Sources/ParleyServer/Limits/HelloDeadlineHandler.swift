import NIOCore
import ParleyWire

/// Closes a connection whose first frame (HELLO) has not arrived `timeoutMs` after
/// connect, so idle or half-open sockets cannot hold connection slots. It stands after the
/// frame decoder and leaves the pipeline once the first frame passed.
final class HelloDeadlineHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = Frame
    typealias InboundOut = Frame

    private let timeoutMs: Int64
    private var timer: Scheduled<Void>?

    init(timeoutMs: Int64) {
        self.timeoutMs = timeoutMs
    }

    func channelActive(context: ChannelHandlerContext) {
        let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
        let timeoutMs = timeoutMs
        timer = context.eventLoop.scheduleTask(in: .milliseconds(timeoutMs)) {
            bound.value.fireErrorCaught(ProtocolViolation(.unauthenticated, "no HELLO within \(timeoutMs) ms of connecting; closing"))
        }
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        timer?.cancel()
        timer = nil
        context.fireChannelRead(data)
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        context.fireChannelInactive()
    }
}
