/// Whether a raw channel message came from the contact or went to them.
public enum Direction: Int32, Sendable, Equatable, CaseIterable {
    case unspecified = 0
    case inbound = 1
    case outbound = 2
}

/// A raw channel message (the seed's messages table) that a turn may answer.
public struct Message: Sendable, Equatable {
    public var messageId: String
    public var organizationId: String
    public var contactId: String
    public var deviceId: String
    public var sessionId: String
    public var direction: Direction
    public var content: String
    public var createdAt: Millis?

    public init(
        messageId: String = "", organizationId: String = "", contactId: String = "",
        deviceId: String = "", sessionId: String = "", direction: Direction = .unspecified,
        content: String = "", createdAt: Millis? = nil
    ) {
        self.messageId = messageId
        self.organizationId = organizationId
        self.contactId = contactId
        self.deviceId = deviceId
        self.sessionId = sessionId
        self.direction = direction
        self.content = content
        self.createdAt = createdAt
    }
}
