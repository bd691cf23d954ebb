import ParleyWire

/// Message types the CLI builds by name (nested request parts with no method of their own).
enum ProtoTypes {
    static func named(_ name: String) throws -> MessageType {
        guard let type = MessageType.named(name) else {
            throw CLIError.local("this build of parley lacks the message type \(name); rebuild it from the same Protos/ as the server")
        }
        return type
    }
}
