import ParleyCore
import ParleyStore
import ParleyWire

/// The price table: USD per 1M tokens as nano-dollars, with effective dates.
/// Prices apply to every organization, so changing them needs an unscoped admin key.
struct PriceService {
    let store: ParleyStore

    func register(in registry: inout ServiceRegistry) {
        let store = store
        registry.register(.setPrice, .unary { call, request in
            try Self.requireGlobalAdmin(call)
            return try await storeCall { try await store.setPrice(Price(proto: request)) }.proto
        })
        registry.register(.listPrices, .inline { _, _ in
            let table = try storeCall { try store.prices() }
            var m = ProtoMessage(Method.listPrices.responseType)
            m.set("prices", messages: table.prices.map(\.proto))
            return m
        })
        registry.register(.deletePrice, .unary { call, request in
            try Self.requireGlobalAdmin(call)
            let pattern = request.string("model_pattern") ?? ""
            try SessionService.require(["model_pattern": pattern])
            try await storeCall { try await store.deletePrice(modelPattern: pattern, effectiveFrom: request.int("effective_from_ms") ?? 0) }
            return ProtoMessage(Method.deletePrice.responseType)
        })
    }

    static func requireGlobalAdmin(_ call: CallContext) throws {
        guard call.principal.role == .admin, call.principal.organizationID.isEmpty else {
            throw RPCError(.permissionDenied, "prices apply to every organization; use a key that is not bound to one")
        }
    }
}
