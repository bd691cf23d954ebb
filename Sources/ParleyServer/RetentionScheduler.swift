import Foundation
import Logging
import ParleyCore
import ParleyStore

/// Runs retention on a schedule (parleyd --retain-days N): at start and then every
/// `interval`, detail older than N days moves to the archive. Each run is the same
/// work as the RetainDetail RPC, in small write batches, so recording goes on.
public final class RetentionScheduler: Sendable {
    private let task: Task<Void, Never>

    public init(store: ParleyStore, days: Int, interval: Duration = .seconds(3_600), logger: Logger) {
        task = Task {
            while !Task.isCancelled {
                let cutoff = Millis(Date().timeIntervalSince1970 * 1000) - Millis(days) * 86_400_000
                do {
                    let result = try await store.retainDetail(olderThan: cutoff, organization: nil) { _, _ in }
                    if result.turns + result.messages > 0 {
                        logger.info("retention archived detail", metadata: ["turns": "\(result.turns)", "messages": "\(result.messages)", "days": "\(days)"])
                    }
                } catch {
                    logger.error("retention failed; it runs again at the next interval", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: interval)
            }
        }
    }

    public func stop() {
        task.cancel()
    }
}
