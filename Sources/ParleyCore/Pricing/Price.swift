/// A model's price from a point in time on, per 1M tokens of each kind.
public struct Price: Sendable, Equatable, Hashable {
    /// An exact model name, or a prefix ending in '*' ("gpt-4o*").
    public var modelPattern: String
    public var inputNanosPerMTok: Int64
    public var outputNanosPerMTok: Int64
    public var cachedReadNanosPerMTok: Int64
    public var cacheWriteNanosPerMTok: Int64
    public var effectiveFrom: Millis
    /// Where the price came from (a catalog import names its file); "" when set by hand.
    public var source: String

    public init(modelPattern: String, inputNanosPerMTok: Int64 = 0, outputNanosPerMTok: Int64 = 0,
                cachedReadNanosPerMTok: Int64 = 0, cacheWriteNanosPerMTok: Int64 = 0, effectiveFrom: Millis = 0,
                source: String = "") {
        self.source = source
        self.modelPattern = modelPattern
        self.inputNanosPerMTok = inputNanosPerMTok
        self.outputNanosPerMTok = outputNanosPerMTok
        self.cachedReadNanosPerMTok = cachedReadNanosPerMTok
        self.cacheWriteNanosPerMTok = cacheWriteNanosPerMTok
        self.effectiveFrom = effectiveFrom
    }

    public static let maxPatternBytes = 128
    public static let maxSourceBytes = 256

    public var isPrefixPattern: Bool { modelPattern.hasSuffix("*") }

    /// How specifically this price's pattern names `model`: nil when it does not match;
    /// otherwise higher is more specific (an exact name beats every prefix, a longer
    /// prefix beats a shorter one).
    public func specificity(for model: String) -> Int? {
        if isPrefixPattern {
            let prefix = modelPattern.utf8.dropLast()
            return model.utf8.starts(with: prefix) ? prefix.count : nil
        }
        return modelPattern == model ? Int.max : nil
    }

    /// The cost of `tokens` at this price: the exact sum over token kinds of
    /// tokens * nanosPerMTok, divided by 1,000,000 once and rounded half up. Products are
    /// summed in 128 bits, so no count or price in range can overflow; a result beyond
    /// Int64 nanos saturates. Negative counts (impossible after intake) count as 0.
    public func cost(of tokens: TokenCounts) -> Money {
        var sum = WideUnsigned()
        sum.addProduct(tokens.input, inputNanosPerMTok)
        sum.addProduct(tokens.output, outputNanosPerMTok)
        sum.addProduct(tokens.cachedRead, cachedReadNanosPerMTok)
        sum.addProduct(tokens.cacheWrite, cacheWriteNanosPerMTok)
        return Money(nanos: sum.dividedRoundingHalfUp(by: 1_000_000))
    }

    public func validate() throws(ValidationError) {
        var check = ViolationCollector()
        let pattern = modelPattern.utf8
        if pattern.isEmpty {
            check.add("model_pattern", "is required; give a model name (\"gpt-4o-mini\") or a prefix ending in '*' (\"gpt-4o*\")")
        } else if pattern.count > Self.maxPatternBytes {
            check.add("model_pattern", "is \(pattern.count) bytes; at most \(Self.maxPatternBytes)")
        } else if modelPattern.dropLast().contains("*") {
            check.add("model_pattern", "has '*' before the end; only a trailing '*' (prefix match) is supported")
        } else if modelPattern.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.value < 0x20 }) {
            check.add("model_pattern", "contains whitespace or control characters; model names have none")
        }
        if source.utf8.count > Self.maxSourceBytes {
            check.add("source", "is \(source.utf8.count) bytes; at most \(Self.maxSourceBytes)")
        }
        for (value, field) in [(inputNanosPerMTok, "input_nanos_per_mtok"), (outputNanosPerMTok, "output_nanos_per_mtok"),
                               (cachedReadNanosPerMTok, "cached_read_nanos_per_mtok"), (cacheWriteNanosPerMTok, "cache_write_nanos_per_mtok")] where value < 0 {
            check.add(field, "is \(value); a price is 0 or more nano-dollars per 1M tokens (2.50 USD = 2500000000)")
        }
        check.checkTime(effectiveFrom, field: "effective_from_ms")
        try check.finish()
    }
}

/// A non-negative 128-bit accumulator, enough for four 63-bit by 63-bit products.
struct WideUnsigned {
    private(set) var high: UInt64 = 0
    private(set) var low: UInt64 = 0

    mutating func addProduct(_ a: Int64, _ b: Int64) {
        let product = UInt64(clamping: a).multipliedFullWidth(by: UInt64(clamping: b))
        let (newLow, carry) = low.addingReportingOverflow(product.low)
        low = newLow
        high &+= product.high &+ (carry ? 1 : 0)
    }

    mutating func add(_ other: WideUnsigned) {
        let (newLow, carry) = low.addingReportingOverflow(other.low)
        low = newLow
        high &+= other.high &+ (carry ? 1 : 0)
    }

    func dividedRoundingHalfUp(by divisor: UInt64) -> Int64 {
        // dividingFullWidth traps when the quotient does not fit: saturate before it can.
        guard high < divisor else { return .max }
        let (quotient, remainder) = divisor.dividingFullWidth((high: high, low: low))
        let roundsUp = remainder >= divisor - remainder
        let (rounded, overflow) = quotient.addingReportingOverflow(roundsUp ? 1 : 0)
        return overflow || rounded > UInt64(Int64.max) ? .max : Int64(rounded)
    }
}
