import ParleyCore

/// One thing that happens in generated traffic, at `at` (ms since the Unix epoch).
public struct TrafficEvent: Sendable, Equatable {
    public var at: Millis
    public var kind: Kind

    public enum Kind: Sendable, Equatable {
        /// A WhatsApp connection and the zone of the customers it serves.
        case device(Device, timeZone: String)
        case contact(Contact)
        case persona(Persona)
        /// A reply, logged when it was sent.
        case turn(Turn)
        /// The same turn delivered again (a client retry): same id, same content.
        case duplicateTurn(Turn)
        case lead(Lead)
        case feedback(Feedback)
    }

    public init(at: Millis, kind: Kind) {
        self.at = at
        self.kind = kind
    }
}
