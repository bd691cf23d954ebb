import Foundation
import NIOConcurrencyHelpers
import ParleyStore

/// The database figures /metrics and ServerInfo both report, read from one place so they
/// agree. The activity figures (checkpoints, log, readers) cost a lock and are read each
/// time; the page counts need a walk of the free list (`ParleyStore.pageCounts`; not of
/// the trees, which at 10M turns took 30 s and held up parleyd's start).
/// `read` runs on event loops (ServerInfo is an inline method, scrapes are answered on the
/// operations listener's loop), so it never walks: it answers with the last walk's counts
/// and, when they are older than `pageWalkInterval`, starts one walk in a background task
/// whose counts the next read reports.
final class DatabaseWatch: Sendable {
    struct Reading: Sendable {
        var fileBytes: Int
        var pages: Int
        var freePages: Int
        var activity: StoreActivity
    }

    /// What one walk finds.
    struct PageCounts: Sendable {
        var pages: Int
        var freePages: Int
    }

    private struct Walked {
        var counts: PageCounts?
        var at: ContinuousClock.Instant
        /// A walk is under way: `read` starts no second one.
        var walking = false
    }

    static let pageWalkInterval: Duration = .seconds(5)

    let store: ParleyStore
    private let interval: Duration
    private let walk: @Sendable () throws -> PageCounts
    private let walked: NIOLockedValueBox<Walked>

    /// Walks once now, so the first reading is complete (called at start-up, off any loop).
    /// `walk` replaces the page walk in tests.
    init(store: ParleyStore, interval: Duration = DatabaseWatch.pageWalkInterval,
         walk: (@Sendable () throws -> PageCounts)? = nil) {
        let walk = walk ?? {
            let counts = try store.pageCounts()
            return PageCounts(pages: counts.pages, freePages: counts.freePages)
        }
        self.store = store
        self.interval = interval
        self.walk = walk
        walked = NIOLockedValueBox(Walked(counts: try? walk(), at: .now))
    }

    /// Nil when the last walk could not read the database (closed, or damaged: the checker
    /// says why).
    func read() -> Reading? {
        let now = ContinuousClock.now
        let interval = interval
        let (last, due) = walked.withLockedValue { walked -> (PageCounts?, Bool) in
            let due = !walked.walking && now - walked.at >= interval
            if due { walked.walking = true }
            return (walked.counts, due)
        }
        if due {
            Task.detached(priority: .utility) { self.walkNow() }
        }
        guard let last else { return nil }
        var st = stat()
        let fileBytes = stat(store.path, &st) == 0 ? Int(st.st_size) : 0
        return Reading(fileBytes: fileBytes, pages: last.pages, freePages: last.freePages, activity: store.activity)
    }

    private func walkNow() {
        let counts = try? walk()
        walked.withLockedValue { $0 = Walked(counts: counts, at: .now) }
    }
}
