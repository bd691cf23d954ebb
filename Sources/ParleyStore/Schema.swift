import ParleyCore
import ParleyStorage

/// Creates the trees of `TreeLayout` on first open and seeds the price table; a file of
/// another store format version is refused before anything is written (StoreFormat).
enum Schema {
    static func prepare(_ database: Database) throws {
        try database.write { txn in
            if let version = try StoreFormat.version(in: txn, path: database.path) {
                try StoreFormat.require(version, path: database.path)
                for name in TreeLayout.all { _ = try txn.createTree(name) }
                return
            }
            for name in TreeLayout.all { _ = try txn.createTree(name) }
            try txn.createTree(TreeLayout.meta).put(Keys.schemaVersion, [TreeLayout.schemaVersion])
            let store = StoreTransaction(base: txn)
            for price in PriceTable.seedDefaults.prices {
                try store.put(price, TreeLayout.prices, Keys.price(price.modelPattern, price.effectiveFrom))
            }
        }
    }
}
