import ParleyCore
import ParleyStore
import ParleyWire

/// The price table: USD per 1M tokens as nano-dollars, with effective dates.
/// Prices apply to every organization, so changing them needs an unscoped admin key.
struct PriceService {
    let store: ParleyStore

    func register(in registry: inout ServiceRegistry) {
        let store = store
        registry.register(ParleyRPC.setPrice) { request, call in
            try Self.requireGlobalAdmin(call)
            return try await storeCall { try await store.setPrice(Price(wire: request)) }.wire
        }
        registry.register(ParleyRPC.listPrices) { _, _ in
            let table = try storeCall { try store.prices() }
            return V1.PriceList(prices: table.prices.map(\.wire))
        }
        registry.register(ParleyRPC.deletePrice) { request, call in
            try Self.requireGlobalAdmin(call)
            let pattern = request.modelPattern ?? ""
            try SessionService.require(["model_pattern": pattern])
            try await storeCall { try await store.deletePrice(modelPattern: pattern, effectiveFrom: request.effectiveFromMs ?? 0) }
            return V1.Empty()
        }
    }

    static func requireGlobalAdmin(_ call: CallContext) throws {
        guard call.principal.isGlobalAdmin else {
            throw RPCError(.permissionDenied, "prices apply to every organization; use a key that is not bound to one")
        }
    }
}
