import ParleyWire

extension RPCError {
    /// Any error a handler throws, as the status the caller sees. Anything that is not
    /// already an RPCError is the server's fault: 13, whose text the executor redacts.
    public init(wrapping error: Error) {
        switch error {
        case let e as RPCError: self = e
        case is CancellationError: self = RPCError(.cancelled, "the call was cancelled")
        case let e as BridgeError: self = RPCError(.internal, "a response did not encode: \(e)")
        default: self = RPCError(.internal, "\(error)")
        }
    }
}
