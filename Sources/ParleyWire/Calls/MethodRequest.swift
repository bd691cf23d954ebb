import NIOCore

extension Method {
    /// Decodes `body` as this method's request type, from the generated method table: the
    /// decoding every REQUEST body goes through before a handler sees it (the fuzz target
    /// drives every method's through here).
    public func decodeRequest(_ body: ByteBuffer) throws -> any WireMessage {
        guard let entry = ParleyRPC.table.first(where: { $0.method == self }) else {
            throw BridgeError(kind: .malformed, typeName: name, field: nil, message: "\(name) has no request type in the method table")
        }
        return try entry.request.init(decoding: body)
    }
}
