import ParleyCore
import ParleyStorage

/// Creates the trees of `TreeLayout` on first open, seeds the price table, and refuses
/// a file laid out by another schema version.
enum Schema {
    static func prepare(_ database: Database) throws {
        try database.write { txn in
            let isNew = try txn.tree(TreeLayout.meta) == nil
            for name in TreeLayout.all { _ = try txn.createTree(name) }
            let meta = try txn.createTree(TreeLayout.meta)
            if isNew {
                try meta.put(Keys.schemaVersion, [TreeLayout.schemaVersion])
                let store = StoreTransaction(base: txn)
                for price in PriceTable.seedDefaults.prices {
                    try store.put(price, TreeLayout.prices, Keys.price(price.modelPattern, price.effectiveFrom))
                }
            } else if try meta.get(Keys.schemaVersion) != [TreeLayout.schemaVersion] {
                throw StoreError.storage(StorageError(.unsupportedVersion, "\(database.path) uses another store layout than version \(TreeLayout.schemaVersion); open it with the Parley release that wrote it"))
            }
        }
    }
}
