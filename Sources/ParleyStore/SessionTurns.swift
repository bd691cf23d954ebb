import ParleyCore
import ParleyStorage

/// A session's turns, through `turns.by_session`, in time order.
struct SessionTurns {
    let txn: StoreTransaction

    func all(organization: String, session: String) throws -> [Turn] {
        var ids: [String] = []
        let prefix = Keys.entity(organization, session)
        try txn.tree(TreeLayout.turnsBySession).forEach(from: prefix, to: Keys.end(of: prefix)) { key, _ in
            ids.append(try StoreTransaction.decodeKey(tree: TreeLayout.turnsBySession) { () throws(DecodeError) in
                var decoder = KeyDecoder(key)
                _ = try decoder.readString()
                _ = try decoder.readString()
                _ = try decoder.readInt64()
                let id = try decoder.readString()
                try decoder.finish()
                return id
            })
            return true
        }
        return try ids.map { id in
            guard let turn = try txn.get(Turn.self, TreeLayout.turns, Keys.entity(organization, id)) else {
                throw StoreError.storage(StorageError(.corrupt, "turns.by_session lists turn \(id) of organization \(organization), which is not stored; the index is damaged, run `parley admin check`"))
            }
            return turn
        }
    }
}
