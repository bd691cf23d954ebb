/// Why one catalog entry was not imported.
/// An Error only so that it can be a Result's failure.
public enum CatalogSkipReason: Error, Sendable, Equatable, CustomStringConvertible {
    case documentationEntry
    case duplicate
    case notAnObject(found: String)
    /// Neither input_cost_per_token nor output_cost_per_token: priced per image, second...
    case noTokenPrices
    case notANumber(field: String, found: String)
    case negative(field: String, text: String)
    case tooLarge(field: String, text: String)
    /// The model name cannot be a price pattern (whitespace, a '*' inside...).
    case invalidPrice(ValidationError)

    public var description: String {
        switch self {
        case .documentationEntry: return "LiteLLM's documentation entry, not a model"
        case .duplicate: return "the model appears again; the first entry was used"
        case .notAnObject(let found): return "the entry is \(found), not an object"
        case .noTokenPrices:
            return "no \(LiteLLMCatalog.inputField) or \(LiteLLMCatalog.outputField) (priced per image, second or request?)"
        case .notANumber(let field, let found): return "\(field) is \(found), not a JSON number"
        case .negative(let field, let text): return "\(field) is \(text); a cost is 0 or more"
        case .tooLarge(let field, let text): return "\(field) is \(text), beyond 9.2 billion USD per 1M tokens"
        case .invalidPrice(let error): return "\(error)"
        }
    }
}
