import ArgumentParser
import Foundation
import ParleyServer
import ParleyStore

/// `parleyd upgrade --data-dir DIR`: the only way an older store format is brought to
/// this build's; serve refuses such a file and names this command.
struct UpgradeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "upgrade",
        abstract: "Back up, then migrate the data directory's database (and archive) to this build's store format version.",
        discussion: """
        Run it with parleyd stopped. Each file behind is first copied next to itself with
        its old version in the name (parley.db.v1.bak, parley.db-log.v1.bak), then migrated
        step by step, then checked. Example: parleyd upgrade --data-dir /var/lib/parley
        """)

    @Option(help: "The data directory holding parley.db.")
    var dataDir: String

    @Option(help: "GiB of address space reserved for each database map (default 64, as serve).")
    var mapReserveGib: Int = 64

    func run() throws {
        let path = (dataDir as NSString).appendingPathComponent(Daemon.databaseFileName)
        do {
            for file in try StoreUpgrade.run(databasePath: path, mapReserve: mapReserveGib << 30) {
                guard !file.steps.isEmpty else {
                    print("\(file.path): already at store format version \(file.to); nothing changed")
                    continue
                }
                print("\(file.path): backed up to \(file.backups.joined(separator: ", "))")
                for step in file.steps { print("  \(step)") }
                print("\(file.path): now at store format version \(file.to); the check found it clean")
            }
        } catch {
            FileHandle.standardError.write(Data("parleyd upgrade: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}
