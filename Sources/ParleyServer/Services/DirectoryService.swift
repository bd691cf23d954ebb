import ParleyCore
import ParleyStore
import ParleyWire

/// Devices, contacts, personas and widgets: the names reports show next to ids.
struct DirectoryService {
    let store: ParleyStore

    func register(in registry: inout ServiceRegistry) {
        let store = store
        registry.register(ParleyRPC.upsertDevice) { request, call in
            let d = Device(wire: request)
            try call.authorize(organization: d.organizationId)
            return try await storeCall { try await store.upsertDevice(d) }.wire
        }
        registry.register(ParleyRPC.upsertContact) { request, call in
            let c = Contact(wire: request)
            try call.authorize(organization: c.organizationId)
            return try await storeCall { try await store.upsertContact(c) }.wire
        }
        registry.register(ParleyRPC.upsertPersona) { request, call in
            let p = Persona(wire: request)
            try call.authorize(organization: p.organizationId)
            return try await storeCall { try await store.upsertPersona(p) }.wire
        }
        registry.register(ParleyRPC.upsertWidget) { request, call in
            let w = Widget(wire: request)
            try call.authorize(organization: w.organizationId)
            return try await storeCall { try await store.upsertWidget(w) }.wire
        }
        registry.register(ParleyRPC.getDevice) { request, call in
            let (org, id) = try Self.key(call, request, kind: "device")
            return try Self.found(storeCall { try store.device(organization: org, id: id) }, "device", id).wire
        }
        registry.register(ParleyRPC.getContact) { request, call in
            let (org, id) = try Self.key(call, request, kind: "contact")
            return try Self.found(storeCall { try store.contact(organization: org, id: id) }, "contact", id).wire
        }
        registry.register(ParleyRPC.getPersona) { request, call in
            let (org, id) = try Self.key(call, request, kind: "persona")
            return try Self.found(storeCall { try store.persona(organization: org, id: id) }, "persona", id).wire
        }
        registry.register(ParleyRPC.getWidget) { request, call in
            let (org, id) = try Self.key(call, request, kind: "widget")
            return try Self.found(storeCall { try store.widget(organization: org, id: id) }, "widget", id).wire
        }
    }

    static func key(_ call: CallContext, _ request: V1.EntityKey, kind: String) throws -> (String, String) {
        let org = request.organizationID ?? ""
        let id = request.id ?? ""
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
