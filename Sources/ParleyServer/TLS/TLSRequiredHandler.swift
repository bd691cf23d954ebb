import NIOCore
import ParleyWire

/// Stands in front of the TLS handler and looks at a connection's first byte: a TLS
/// handshake starts with a record of type 22, a Parley frame with "P". A client that
/// speaks plain frames to a TLS port gets a plain GOAWAY saying so (its own decoder can
/// read that, where a TLS alert would only look like a broken connection), then the
/// connection closes. Anything else goes on to the TLS handler, which refuses what is not
/// TLS with its own error.
final class TLSRequiredHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// Set once plain frames were refused: what else arrives before the close is dropped.
    private var refused = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !refused else { return }
        let bytes = unwrapInboundIn(data)
        guard let first = bytes.getInteger(at: bytes.readerIndex, as: UInt8.self) else {
            return  // an empty read decides nothing
        }
        guard first == Frame.magic.0 else {
            context.fireChannelRead(data)
            context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
            return
        }
        refused = true
        let message = "this server accepts only TLS connections: connect with TLS (parley --tls, PARLEY_TLS=1, "
            + "ClientConfiguration.tls, or tls=True in Python) and trust the CA that signed its certificate"
        let meta = (try? ResponseMetadata(message: message).wire.encoded(allocator: context.channel.allocator)) ?? ByteBuffer()
        var out = context.channel.allocator.buffer(capacity: Frame.headerSize + meta.readableBytes)
        Frame(type: .goAway, code: StatusCode.failedPrecondition.rawValue, meta: meta).write(to: &out)
        context.writeAndFlush(wrapOutboundOut(out)).whenComplete { _ in context.close(promise: nil) }
    }
}
