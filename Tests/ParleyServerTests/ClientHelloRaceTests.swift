import NIOConcurrencyHelpers
import NIOCore
import NIOEmbedded
@testable import ParleyClient
import XCTest

/// HELLO is sent on the event loop after the connect completes, so the channel can
/// already have failed (a TLS handshake refused at once) or closed by then. The hello
/// must fail with that cause; before, it waited for a reply that could not come, and a
/// TLS test hung under load.
final class ClientHelloRaceTests: XCTestCase {
    private struct HandshakeRefused: Error {}

    func testHelloAfterTheChannelFailedFailsWithTheCause() throws {
        let channel = EmbeddedChannel()
        let handler = ClientHandler(usable: NIOLockedValueBox(true))
        try channel.pipeline.syncOperations.addHandler(handler)
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        channel.pipeline.fireErrorCaught(HandshakeRefused())
        let hello = handler.sayHello(ByteBuffer(), on: channel.eventLoop)
        XCTAssertThrowsError(try hello.wait()) { XCTAssertTrue($0 is HandshakeRefused, "\($0)") }
    }

    func testHelloAfterTheChannelClosedFailsAtOnce() throws {
        let channel = EmbeddedChannel()
        let handler = ClientHandler(usable: NIOLockedValueBox(true))
        try channel.pipeline.syncOperations.addHandler(handler)
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        try channel.close().wait()
        let hello = handler.sayHello(ByteBuffer(), on: channel.eventLoop)
        XCTAssertThrowsError(try hello.wait()) { error in
            guard case ClientError.unreachable = error else { return XCTFail("\(error)") }
        }
    }
}
