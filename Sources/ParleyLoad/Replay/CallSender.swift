import ParleyWire

/// Delivers request frames to a server. The CLI implements it over real connections;
/// tests use a fake that is slow or failing on purpose.
public protocol CallSender: Sendable {
    /// Sends `frame` on replay connection `connection` (0 ..< the plan's connections)
    /// and waits for the answer. Throws when no answer can come (connection lost).
    func send(_ frame: Frame, connection: Int) async throws -> CallAnswer
}
