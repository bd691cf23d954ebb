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
            } else if let stored = try meta.get(Keys.schemaVersion), stored != [TreeLayout.schemaVersion] {
                let found = stored.count == 1 ? "version \(stored[0])" : "an unreadable version"
                throw StoreError.storage(StorageError(.unsupportedVersion, "\(database.path) uses store layout \(found); this build reads version \(TreeLayout.schemaVersion) only; open it with the Parley release that wrote it, or export it there and import it here"))
            } else if try meta.get(Keys.schemaVersion) == nil {
                throw StoreError.storage(StorageError(.unsupportedVersion, "\(database.path) has no store layout version; it was not written by ParleyStore or is damaged"))
            }
        }
    }
}
