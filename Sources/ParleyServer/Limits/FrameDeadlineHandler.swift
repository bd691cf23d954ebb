import NIOCore
import ParleyWire

/// Slowloris guard: once the first byte of a frame arrived, the whole frame must arrive
/// within `timeoutMs`, or the connection is closed. It stands before the frame decoder and
/// follows frame boundaries from the 20-byte headers (lengths at offsets 12 and 16)
/// without copying: the bytes pass through untouched and the decoder validates them.
final class FrameDeadlineHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let timeoutMs: Int64
    /// Header bytes of the frame in progress, up to 20.
    private var header: [UInt8] = []
    /// Meta and body bytes still to come once the header is complete.
    private var payloadLeft: UInt64 = 0
    private var timer: Scheduled<Void>?

    init(timeoutMs: Int64) {
        self.timeoutMs = timeoutMs
        header.reserveCapacity(Frame.headerSize)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let bytes = unwrapInboundIn(data)
        let view = bytes.readableBytesView
        var i = view.startIndex
        while i < view.endIndex {
            if timer == nil { startTimer(context) }
            if header.count < Frame.headerSize {
                let take = min(Frame.headerSize - header.count, view.endIndex - i)
                header += view[i..<(i + take)]
                i += take
                if header.count == Frame.headerSize { payloadLeft = Self.payload(of: header) }
            } else {
                let take = Int(min(payloadLeft, UInt64(view.endIndex - i)))
                payloadLeft -= UInt64(take)
                i += take
            }
            if header.count == Frame.headerSize, payloadLeft == 0 {
                // A whole frame: the next byte starts a new one with a new deadline.
                header.removeAll(keepingCapacity: true)
                timer?.cancel()
                timer = nil
            }
        }
        context.fireChannelRead(data)
    }

    func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        context.fireChannelInactive()
    }

    private func startTimer(_ context: ChannelHandlerContext) {
        let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
        let timeoutMs = timeoutMs
        timer = context.eventLoop.scheduleTask(in: .milliseconds(timeoutMs)) {
            bound.value.fireErrorCaught(ProtocolViolation(.deadlineExceeded, "a frame was started but not completed within \(timeoutMs) ms; closing"))
        }
    }

    /// Meta length plus body length, both big-endian, as the decoder reads them.
    private static func payload(of header: [UInt8]) -> UInt64 {
        func u32(_ at: Int) -> UInt64 { header[at..<(at + 4)].reduce(0) { $0 << 8 | UInt64($1) } }
        return u32(12) + u32(16)
    }
}
