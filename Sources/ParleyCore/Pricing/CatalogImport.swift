/// What a catalog import produced: the prices to store and the entries left out.
public struct CatalogImport: Sendable, Equatable {
    public var prices: [ImportedPrice] = []
    public var skipped: [SkippedCatalogEntry] = []
}

public struct ImportedPrice: Sendable, Equatable {
    public var price: Price
    /// How the entry was read where that was not literal (rounding, defaulted costs).
    public var notes: [String]
}

public struct SkippedCatalogEntry: Sendable, Equatable, CustomStringConvertible {
    public var model: String
    public var reason: CatalogSkipReason
    public var description: String { "\(model): \(reason)" }
}
