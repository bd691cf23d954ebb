/// Size limits applied at intake. Configurable so an operator can admit longer
/// transcripts, but always finite so one request cannot bloat a page of the store.
public struct Limits: Sendable, Equatable {
    /// Per user message and per AI response, and per raw message content.
    public var maxTextBytes: Int
    /// Model names, names, phone numbers, emails, companies, languages.
    public var maxNameBytes: Int

    public init(maxTextBytes: Int = 64 * 1024, maxNameBytes: Int = 256) {
        self.maxTextBytes = maxTextBytes
        self.maxNameBytes = maxNameBytes
    }
}
