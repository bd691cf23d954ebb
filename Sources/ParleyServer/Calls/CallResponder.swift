import NIOCore

/// Where the executor delivers what a call produces; a transport implements it.
///
/// `answer` is called exactly once per call, on the event loop the call was started on;
/// `send` is called from the call's task, any number of times before the answer.
public protocol CallResponder: Sendable {
    /// One streamed message (a RESPONSE flagged MORE). Returns once the transport took it,
    /// so a slow reader slows the handler instead of filling memory; throws when the call
    /// is no longer wanted.
    func send(_ callID: UInt32, streamed body: ByteBuffer) async throws
    /// The call's final answer.
    func answer(_ answer: CallAnswer)
}
