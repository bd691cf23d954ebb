/// Why a catalog file could not be read at all.
public enum CatalogError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidJSON(JSONParser.SyntaxError)
    case notAnObject(found: String)

    public var description: String {
        switch self {
        case .invalidJSON(let error): return "price catalog: \(error)"
        case .notAnObject(let found): return "price catalog: the document is \(found); expected an object of model name to prices"
        }
    }
}
