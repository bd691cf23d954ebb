import ParleyCore

extension Price {
    public init(wire m: V1.Price) {
        self.init(modelPattern: m.modelPattern ?? "",
                  inputNanosPerMTok: m.inputNanosPerMtok ?? 0,
                  outputNanosPerMTok: m.outputNanosPerMtok ?? 0,
                  cachedReadNanosPerMTok: m.cachedReadNanosPerMtok ?? 0,
                  cacheWriteNanosPerMTok: m.cacheWriteNanosPerMtok ?? 0,
                  effectiveFrom: m.effectiveFromMs ?? 0, source: m.source ?? "")
    }

    public var wire: V1.Price {
        V1.Price(modelPattern: modelPattern, inputNanosPerMtok: inputNanosPerMTok, outputNanosPerMtok: outputNanosPerMTok,
                 cachedReadNanosPerMtok: cachedReadNanosPerMTok, cacheWriteNanosPerMtok: cacheWriteNanosPerMTok,
                 effectiveFromMs: effectiveFrom, source: source.nonEmpty)
    }
}

extension Cost {
    /// As a parley.v1.Money: priced nano-dollars and the tokens no price covered.
    public var wire: V1.Money {
        V1.Money(nanos: priced.nanos, unpricedTokens: unpricedTokens)
    }
}
