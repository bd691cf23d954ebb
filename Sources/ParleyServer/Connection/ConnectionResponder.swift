import NIOCore
import ParleyWire

/// The executor's way back into one TCP connection: answers and streamed messages hop to
/// the connection's event loop, where the handler writes them as RESPONSE frames.
struct ConnectionResponder: CallResponder {
    let handler: NIOLoopBound<ConnectionHandler>
    let loop: EventLoop

    func send(_ callID: UInt32, streamed body: ByteBuffer) async throws {
        let handler = handler
        try await loop.flatSubmit { [loop] in handler.value.sendStreamed(callID, body, on: loop) }.get()
    }

    /// The executor calls this on `loop`.
    func answer(_ answer: CallAnswer) {
        handler.value.write(answer)
    }
}
