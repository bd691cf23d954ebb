import ArgumentParser
import Foundation
import ParleyServer

/// `parleyd restore FILE --data-dir DIR`: checks a backup and makes it DIR's database.
/// Run it with parleyd stopped; then start parleyd on DIR.
struct RestoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Check a backup (parley admin backup --output FILE) and bring it back as the data directory's database.",
        discussion: "Example: parleyd restore parley-2026-11-22.db --data-dir /var/lib/parley")

    @Argument(help: "The backup file.")
    var file: String

    @Option(help: "The data directory to restore into; it must not hold a parley.db.")
    var dataDir: String

    func run() throws {
        do {
            let outcome = try Restore.run(from: file, dataDirectory: dataDir)
            print("restored \(outcome.path): \(outcome.bytes) bytes, \(outcome.pages) pages, transaction \(outcome.txnID); the check found it clean")
        } catch {
            FileHandle.standardError.write(Data("parleyd restore: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}
