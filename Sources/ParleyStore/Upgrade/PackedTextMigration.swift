import ParleyCore
import ParleyStorage

extension FormatMigration {
    /// Version 3 packs the text of turns and messages (Turn record 3, Message record 2;
    /// docs/STORAGE.md, "Packed text"). Older records still decode, so the step only
    /// re-encodes every turn and message, live and archived alike, to give the file its
    /// space back; trees, keys and aggregates stay as they are.
    static let packedText = FormatMigration(from: 2, summary: "turn and message text re-encoded packed") { txn, _ in
        let store = StoreTransaction(base: txn)
        try repack(Turn.self, in: store.storedTree(TreeLayout.turns))
        try repack(Message.self, in: store.storedTree(TreeLayout.messages))
    }

    /// Re-encodes every value of an older record version, a slice of keys at a time
    /// (a tree cannot change under its own forEach).
    private static func repack<Record: RecordCodable>(_ type: Record.Type, in tree: Tree) throws {
        var resume: [UInt8]?
        while true {
            let from = resume
            var slice: [(key: [UInt8], value: [UInt8])] = []
            try tree.forEach(from: from) { key, value in
                if key != from { slice.append((key, value)) }
                return slice.count < 4_096
            }
            guard let last = slice.last else { return }
            for entry in slice where entry.value.first != Record.recordVersion {
                let record = try StoreTransaction.decode(type, entry.value, tree: tree.name)
                try tree.put(entry.key, RecordCoder.encode(record))
            }
            resume = last.key
        }
    }
}
