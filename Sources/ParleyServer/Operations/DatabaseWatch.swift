import Foundation
import NIOConcurrencyHelpers
import ParleyStorage

/// The database figures /metrics and ServerInfo both report, read from one place so they
/// agree. The activity figures (checkpoints, log, readers) cost a lock and are read each
/// time; the page counts need a walk of the page tree's headers (`Database.stats`), so
/// that walk runs at most once per `pageWalkInterval` and its result is reused meanwhile.
final class DatabaseWatch: Sendable {
    struct Reading: Sendable {
        var fileBytes: Int
        var pages: Int
        var freePages: Int
        var activity: DatabaseActivity
    }

    private struct PageCounts {
        var pages: Int
        var freePages: Int
        var at: ContinuousClock.Instant
    }

    static let pageWalkInterval: Duration = .seconds(5)

    let database: Database
    private let lastWalk = NIOLockedValueBox<PageCounts?>(nil)

    init(database: Database) {
        self.database = database
    }

    /// Nil when the database cannot be read (closed, or damaged: the checker says why).
    func read() -> Reading? {
        let now = ContinuousClock.now
        let counts: PageCounts
        if let last = lastWalk.withLockedValue({ $0 }), now - last.at < Self.pageWalkInterval {
            counts = last
        } else {
            guard let stats = try? database.stats() else { return nil }
            counts = PageCounts(pages: stats.pages, freePages: stats.freePages, at: now)
            lastWalk.withLockedValue { $0 = counts }
        }
        var st = stat()
        let fileBytes = stat(database.path, &st) == 0 ? Int(st.st_size) : 0
        return Reading(fileBytes: fileBytes, pages: counts.pages, freePages: counts.freePages, activity: database.activity)
    }
}
