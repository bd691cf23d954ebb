import NIOCore
import NIOHTTP1

/// Answers one HTTP/1.1 request at a time on the operations listener: GET of an
/// `OperationsEndpoint`, 404 for other paths, 405 for other methods. Bodies are ignored.
final class OperationsHTTPHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let operations: OperationsState

    init(operations: OperationsState) {
        self.operations = operations
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .head(let request) = unwrapInboundIn(data) else { return }
        let path = request.uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? request.uri
        let answer: (HTTPResponseStatus, String, [UInt8])
        switch (request.method, OperationsEndpoint(rawValue: path)) {
        case (.GET, .metrics?):
            answer = (.ok, "text/plain; version=0.0.4; charset=utf-8", operations.scrape())
        case (.GET, .health?):
            answer = (.ok, "text/plain; charset=utf-8", Array("ok\n".utf8))
        case (.GET, .readiness?):
            if let reason = operations.readiness.notReadyReason {
                answer = (.serviceUnavailable, "text/plain; charset=utf-8", Array("not ready: \(reason)\n".utf8))
            } else {
                answer = (.ok, "text/plain; charset=utf-8", Array("ready\n".utf8))
            }
        case (_, .some):
            answer = (.methodNotAllowed, "text/plain; charset=utf-8", Array("only GET is served here\n".utf8))
        case (_, nil):
            answer = (.notFound, "text/plain; charset=utf-8", Array("not found; try /metrics, /healthz or /readyz\n".utf8))
        }
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: answer.1)
        headers.add(name: "Content-Length", value: "\(answer.2.count)")
        let keepAlive = request.isKeepAlive
        if !keepAlive { headers.add(name: "Connection", value: "close") }
        let head = HTTPResponseHead(version: request.version, status: answer.0, headers: headers)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: answer.2)))), promise: nil)
        let done = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if !keepAlive {
            let channel = context.channel
            done.whenComplete { _ in channel.close(promise: nil) }
        }
    }
}
