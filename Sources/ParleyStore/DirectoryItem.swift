import ParleyCore

/// One row of a directory batch (`ParleyStore.upsertDirectory`): which of the four
/// directory kinds it is decides its tree.
public enum DirectoryItem: Sendable, Equatable {
    case device(Device)
    case contact(Contact)
    case persona(Persona)
    case widget(Widget)

    /// The row's own id, for the per-item result.
    public var entryId: String {
        switch self {
        case .device(let d): return d.deviceId
        case .contact(let c): return c.contactId
        case .persona(let p): return p.personaId
        case .widget(let w): return w.widgetId
        }
    }

    public var organizationId: String {
        switch self {
        case .device(let d): return d.organizationId
        case .contact(let c): return c.organizationId
        case .persona(let p): return p.organizationId
        case .widget(let w): return w.organizationId
        }
    }
}
