import ParleyCore
import ParleyStore
import ParleyWire

/// Devices, contacts, personas and widgets: the names reports show next to ids.
struct DirectoryService {
    let store: ParleyStore

    func register(in registry: inout ServiceRegistry) {
        let store = store
        registry.register(.upsertDevice, .unary { call, request in
            let d = Device(proto: request)
            try call.authorize(organization: d.organizationId)
            return try await storeCall { try await store.upsertDevice(d) }.proto
        })
        registry.register(.upsertContact, .unary { call, request in
            let c = Contact(proto: request)
            try call.authorize(organization: c.organizationId)
            return try await storeCall { try await store.upsertContact(c) }.proto
        })
        registry.register(.upsertPersona, .unary { call, request in
            let p = Persona(proto: request)
            try call.authorize(organization: p.organizationId)
            return try await storeCall { try await store.upsertPersona(p) }.proto
        })
        registry.register(.upsertWidget, .unary { call, request in
            let w = Widget(proto: request)
            try call.authorize(organization: w.organizationId)
            return try await storeCall { try await store.upsertWidget(w) }.proto
        })
        registry.register(.getDevice, .inline { call, request in
            let (org, id) = try Self.key(call, request, kind: "device")
            return try Self.found(storeCall { try store.device(organization: org, id: id) }, "device", id).proto
        })
        registry.register(.getContact, .inline { call, request in
            let (org, id) = try Self.key(call, request, kind: "contact")
            return try Self.found(storeCall { try store.contact(organization: org, id: id) }, "contact", id).proto
        })
        registry.register(.getPersona, .inline { call, request in
            let (org, id) = try Self.key(call, request, kind: "persona")
            return try Self.found(storeCall { try store.persona(organization: org, id: id) }, "persona", id).proto
        })
        registry.register(.getWidget, .inline { call, request in
            let (org, id) = try Self.key(call, request, kind: "widget")
            return try Self.found(storeCall { try store.widget(organization: org, id: id) }, "widget", id).proto
        })
    }

    static func key(_ call: CallContext, _ request: ProtoMessage, kind: String) throws -> (String, String) {
        let org = request.string("organization_id") ?? ""
        let id = request.string("id") ?? ""
        var violations: [FieldViolation] = []
        if org.isEmpty { violations.append(FieldViolation(field: "organization_id", reason: "is required")) }
        if id.isEmpty { violations.append(FieldViolation(field: "id", reason: "is required: the \(kind) id")) }
        guard violations.isEmpty else { throw RPCError.invalidArgument(violations) }
        try call.authorize(organization: org)
        return (org, id)
    }

    static func found<T>(_ value: T?, _ kind: String, _ id: String) throws -> T {
        guard let value else { throw RPCError(.notFound, "no \(kind) \"\(id)\" in this organization") }
        return value
    }
}
