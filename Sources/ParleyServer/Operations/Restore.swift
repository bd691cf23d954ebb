import Foundation
import ParleyStore

/// `parleyd restore FILE --data-dir DIR`: brings a backup (from `parley admin backup`)
/// back as DIR's database, only after the storage checker found it whole.
///
/// The copy is made beside the target and checked there, then renamed into place, so
/// DIR never holds a half-written or unchecked `parley.db`. An existing database is
/// never overwritten: move it away first.
public enum Restore {
    public struct Outcome: Sendable {
        public var path: String
        public var bytes: Int
        public var txnID: UInt64
        public var pages: Int
    }

    public static func run(from backup: String, dataDirectory: String, mapReserve: Int = 1 << 30) throws -> Outcome {
        let fm = FileManager.default
        guard fm.fileExists(atPath: backup) else { throw ServerError.configuration("no backup file at \(backup)") }
        let target = (dataDirectory as NSString).appendingPathComponent(Daemon.databaseFileName)
        guard !fm.fileExists(atPath: target) else {
            throw ServerError.configuration("\(target) exists; restore into a directory without a database, or move it away first")
        }
        do {
            try fm.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw ServerError.configuration("cannot create the data directory \(dataDirectory): \(error.localizedDescription)")
        }
        let staging = target + ".restoring"
        try? fm.removeItem(atPath: staging)
        do {
            try fm.copyItem(atPath: backup, toPath: staging)
        } catch {
            throw ServerError.configuration("cannot copy \(backup) to \(staging): \(error.localizedDescription)")
        }
        var keep = false
        defer { if !keep { try? fm.removeItem(atPath: staging) } }
        let report: StoreCheck
        do {
            report = try ParleyStore.checkFile(at: staging, mapReserve: mapReserve)
        } catch {
            throw ServerError.configuration("\(backup) is not a Parley database that opens: \(error)")
        }
        guard report.isClean else {
            let problems = report.problems.prefix(10).joined(separator: "; ")
            throw ServerError.configuration("\(backup) failed the check (\(report.problems.count) problems): \(problems); nothing was restored")
        }
        do {
            try fm.moveItem(atPath: staging, toPath: target)
        } catch {
            throw ServerError.configuration("cannot move \(staging) to \(target): \(error.localizedDescription)")
        }
        keep = true
        let bytes = ((try? fm.attributesOfItem(atPath: target))?[.size] as? Int) ?? 0
        return Outcome(path: target, bytes: bytes, txnID: report.txnID, pages: report.pagesTotal)
    }
}
