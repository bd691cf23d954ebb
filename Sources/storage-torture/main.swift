// Crash-test child: commits a deterministic sequence of transactions and prints
// "ack N" after commit N returns, until killed. The parent test rebuilds the same
// sequence (StorageTorture.TortureWorkload, shared with the test) to know what the
// database must hold after a SIGKILL.
//
// usage: storage-torture PATH SEED FIRST_COMMIT sync|nosync [CHECKPOINT_PAGES]
// A small CHECKPOINT_PAGES makes checkpoints and log resets frequent, so kills land in
// them as well as in commits.
import Foundation
import ParleyStorage
import StorageTorture

let args = CommandLine.arguments
let usage = "usage: storage-torture PATH SEED FIRST_COMMIT sync|nosync [CHECKPOINT_PAGES]\n"
guard args.count == 5 || args.count == 6, let seed = UInt64(args[2]), let first = Int(args[3]),
      args.count == 5 || Int(args[5]) != nil else {
    FileHandle.standardError.write(Data(usage.utf8))
    exit(2)
}
var options = DatabaseOptions()
options.durability = args[4] == "sync" ? .sync : .nosync
options.mapReserve = 1 << 30
if args.count == 6, let pages = Int(args[5]) { options.checkpointPages = max(1, pages) }
do {
    let db = try Database(path: args[1], options: options)
    var n = first
    while true {
        n += 1
        try db.write { w in
            for (name, key, value) in TortureWorkload.plan(seed: seed, commit: n) {
                let tree = try w.createTree(name)
                if let value { try tree.put(key, value) } else { try tree.delete(key) }
            }
        }
        // One unbuffered write: the ack is out before the next commit starts.
        FileHandle.standardOutput.write(Data("ack \(n)\n".utf8))
    }
} catch {
    FileHandle.standardError.write(Data("storage-torture: \(error)\n".utf8))
    exit(1)
}
