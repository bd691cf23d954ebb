import ParleyCore

extension Price {
    public init(proto m: ProtoMessage) {
        self.init(modelPattern: m.string("model_pattern") ?? "",
                  inputNanosPerMTok: m.int("input_nanos_per_mtok") ?? 0,
                  outputNanosPerMTok: m.int("output_nanos_per_mtok") ?? 0,
                  cachedReadNanosPerMTok: m.int("cached_read_nanos_per_mtok") ?? 0,
                  cacheWriteNanosPerMTok: m.int("cache_write_nanos_per_mtok") ?? 0,
                  effectiveFrom: m.int("effective_from_ms") ?? 0)
    }

    public var proto: ProtoMessage {
        var m = ProtoMessage(RecordTypes.price)
        m.set("model_pattern", modelPattern)
        m.set("input_nanos_per_mtok", inputNanosPerMTok)
        m.set("output_nanos_per_mtok", outputNanosPerMTok)
        m.set("cached_read_nanos_per_mtok", cachedReadNanosPerMTok)
        m.set("cache_write_nanos_per_mtok", cacheWriteNanosPerMTok)
        m.set("effective_from_ms", effectiveFrom)
        return m
    }
}

extension Cost {
    /// As a parley.v1.Money: priced nano-dollars and the tokens no price covered.
    public var proto: ProtoMessage {
        var m = ProtoMessage(RecordTypes.money)
        m.set("nanos", priced.nanos)
        m.set("unpriced_tokens", unpricedTokens)
        return m
    }
}
