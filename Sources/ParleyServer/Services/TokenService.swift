import ParleyCore
import ParleyWire

/// CountTokens: the counts this server would give a turn's text, with their method.
struct TokenService {
    /// Texts one call may count; larger jobs send several calls.
    static let maxTexts = 10_000
    let counting: TokenCounting

    func register(in registry: inout ServiceRegistry) {
        let counter = counting.counter
        registry.register(ParleyRPC.countTokens) { request, _ in
            if let encoding = request.encoding, !encoding.isEmpty, encoding != TokenCounting.encoding {
                throw RPCError.invalidArgument([FieldViolation(field: "encoding", reason: "is \"\(encoding)\"; the only encoding is \(TokenCounting.encoding) (or leave it empty)")])
            }
            guard request.texts.count <= Self.maxTexts else {
                throw RPCError.invalidArgument([FieldViolation(field: "texts", reason: "holds \(request.texts.count) texts; send at most \(Self.maxTexts) per call")])
            }
            return V1.CountTokensResponse(counts: request.texts.map { counter.count($0) }, method: V1.TokenCountMethod(counter.method),
                                          encoding: TokenCounting.encoding)
        }
    }
}
