/// The limits shared by every connection of one server, made from its configuration.
struct ServerLimits: Sendable {
    let peers: PeerConnectionLimiter
    let keyRate: KeyRateLimiter
    let requestMemory: RequestMemory

    init(_ configuration: ServerConfiguration) {
        peers = PeerConnectionLimiter(limit: configuration.maxConnectionsPerPeer)
        keyRate = KeyRateLimiter(ratePerSecond: configuration.keyRequestsPerSecond)
        requestMemory = RequestMemory(limit: configuration.maxBufferedRequestBytes)
    }
}
