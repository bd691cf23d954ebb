extension Method {
    /// The message a successful call of this method answers with (for streaming methods,
    /// each RESPONSE frame's), so tools that hold only frames can decode the answer.
    public var responseType: (any WireMessage.Type)? {
        ParleyRPC.table.first { $0.method == self }?.response
    }
}
