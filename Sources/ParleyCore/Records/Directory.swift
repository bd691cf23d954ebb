// The directory: the named things turns refer to by id. Kept in one file because
// each is a handful of strings with the same shape and the same rules.

/// A WhatsApp connection (the seed's whatsapp_connections row).
public struct Device: Sendable, Equatable {
    public var organizationId: String
    public var deviceId: String
    public var name: String
    public var phoneNumber: String

    public init(organizationId: String = "", deviceId: String = "", name: String = "", phoneNumber: String = "") {
        self.organizationId = organizationId
        self.deviceId = deviceId
        self.name = name
        self.phoneNumber = phoneNumber
    }
}

public struct Contact: Sendable, Equatable {
    public var organizationId: String
    public var contactId: String
    public var name: String
    public var phoneNumber: String

    public init(organizationId: String = "", contactId: String = "", name: String = "", phoneNumber: String = "") {
        self.organizationId = organizationId
        self.contactId = contactId
        self.name = name
        self.phoneNumber = phoneNumber
    }
}

public struct Persona: Sendable, Equatable {
    public var organizationId: String
    public var personaId: String
    public var name: String
    /// The model a turn of this persona used when the turn does not say.
    public var defaultModel: String

    public init(organizationId: String = "", personaId: String = "", name: String = "", defaultModel: String = "") {
        self.organizationId = organizationId
        self.personaId = personaId
        self.name = name
        self.defaultModel = defaultModel
    }
}

public struct Widget: Sendable, Equatable {
    public var organizationId: String
    public var widgetId: String
    /// The owner.
    public var userId: String
    public var name: String

    public init(organizationId: String = "", widgetId: String = "", userId: String = "", name: String = "") {
        self.organizationId = organizationId
        self.widgetId = widgetId
        self.userId = userId
        self.name = name
    }
}
