/// Reads LiteLLM's model_prices_and_context_window.json: one object per model name with
/// per-token USD costs `input_cost_per_token`, `output_cost_per_token`,
/// `cache_read_input_token_cost` and `cache_creation_input_token_cost`.
///
/// Each good entry becomes a Price for that exact model name from `effectiveFrom` on,
/// converted exactly (`PerTokenCost`). A missing cache cost means the catalog knows no
/// discount, so cache reads or writes are priced as input (never as free); a missing
/// input or output cost is 0 (embedding models have no output). Tiered costs
/// ("..._above_200k_tokens"), audio, image and per-second costs are not read. Entries
/// that cannot be priced are skipped with a reason; one bad entry never stops the rest.
public enum LiteLLMCatalog {
    public static let inputField = "input_cost_per_token"
    public static let outputField = "output_cost_per_token"
    public static let cacheReadField = "cache_read_input_token_cost"
    public static let cacheWriteField = "cache_creation_input_token_cost"
    /// LiteLLM's documentation entry, which describes the fields instead of a model.
    public static let documentationEntry = "sample_spec"

    public static func read(_ bytes: [UInt8], effectiveFrom: Millis) throws(CatalogError) -> CatalogImport {
        let document: JSONValue
        do {
            document = try JSONParser.parse(bytes)
        } catch {
            throw .invalidJSON(error)
        }
        guard case .object(let entries) = document else { throw .notAnObject(found: document.kindDescription) }
        var result = CatalogImport()
        var seen = Set<String>()
        for (model, entry) in entries {
            guard seen.insert(model).inserted else {
                result.skipped.append(SkippedCatalogEntry(model: model, reason: .duplicate))
                continue
            }
            switch price(model: model, entry: entry, effectiveFrom: effectiveFrom) {
            case .success(let imported): result.prices.append(imported)
            case .failure(let reason): result.skipped.append(SkippedCatalogEntry(model: model, reason: reason))
            }
        }
        return result
    }

    private static func price(model: String, entry: JSONValue, effectiveFrom: Millis) -> Result<ImportedPrice, CatalogSkipReason> {
        if model == documentationEntry { return .failure(.documentationEntry) }
        guard case .object(let fields) = entry else { return .failure(.notAnObject(found: entry.kindDescription)) }
        var notes: [String] = []
        func cost(_ field: String) -> Result<Int64?, CatalogSkipReason> {
            guard let value = fields.last(where: { $0.key == field })?.value, value != .null else { return .success(nil) }
            guard case .number(let text) = value else { return .failure(.notANumber(field: field, found: value.kindDescription)) }
            switch PerTokenCost.nanosPerMTok(text) {
            case .exact(let nanos): return .success(nanos)
            case .rounded(let nanos):
                notes.append("\(field) \(text) rounded to \(nanos) nano-dollars per 1M tokens")
                return .success(nanos)
            case .negative: return .failure(.negative(field: field, text: text))
            case .tooLarge: return .failure(.tooLarge(field: field, text: text))
            case .notANumber: return .failure(.notANumber(field: field, found: text))
            }
        }
        let input: Int64?, output: Int64?, cacheRead: Int64?, cacheWrite: Int64?
        switch (cost(inputField), cost(outputField), cost(cacheReadField), cost(cacheWriteField)) {
        case (.failure(let reason), _, _, _), (_, .failure(let reason), _, _), (_, _, .failure(let reason), _), (_, _, _, .failure(let reason)):
            return .failure(reason)
        case (.success(let i), .success(let o), .success(let r), .success(let w)):
            (input, output, cacheRead, cacheWrite) = (i, o, r, w)
        }
        guard input != nil || output != nil else { return .failure(.noTokenPrices) }
        let inputNanos = input ?? 0
        if cacheRead == nil, inputNanos > 0 { notes.append("no \(cacheReadField): cache reads priced as input") }
        if cacheWrite == nil, inputNanos > 0 { notes.append("no \(cacheWriteField): cache writes priced as input") }
        let price = Price(modelPattern: model, inputNanosPerMTok: inputNanos, outputNanosPerMTok: output ?? 0,
                          cachedReadNanosPerMTok: cacheRead ?? inputNanos, cacheWriteNanosPerMTok: cacheWrite ?? inputNanos,
                          effectiveFrom: effectiveFrom)
        do {
            try price.validate()
        } catch {
            return .failure(.invalidPrice(error))
        }
        return .success(ImportedPrice(price: price, notes: notes))
    }
}
