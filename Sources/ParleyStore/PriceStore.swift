import ParleyCore

/// The price table, one entry per (pattern, effective from) in `prices`.
struct PriceStore {
    let txn: StoreTransaction

    func set(_ price: Price) throws -> Result<Price, StoreError> {
        do {
            try price.validate()
        } catch {
            return .failure(.invalid(error))
        }
        try txn.put(price, TreeLayout.prices, Keys.price(price.modelPattern, price.effectiveFrom))
        return .success(price)
    }

    func delete(modelPattern: String, effectiveFrom: Millis) throws -> Result<Void, StoreError> {
        guard try txn.tree(TreeLayout.prices).delete(Keys.price(modelPattern, effectiveFrom)) else {
            return .failure(.notFound("no price for \"\(modelPattern)\" effective from \(effectiveFrom) ms; list prices to see the patterns and dates in force"))
        }
        return .success(())
    }

    func table() throws -> PriceTable {
        var prices: [Price] = []
        try txn.tree(TreeLayout.prices).forEach { _, value in
            prices.append(try StoreTransaction.decode(Price.self, value, tree: TreeLayout.prices))
            return true
        }
        return PriceTable(prices)
    }
}
