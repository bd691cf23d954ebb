import ParleyCore
import ParleyStorage

/// One step of the store layout, from version `from` to `from + 1`, run by `parleyd
/// upgrade` (StoreUpgrade) in one write transaction that also stores the new version,
/// so a crash leaves the file at one version or the next, never between.
struct FormatMigration: Sendable {
    /// What the file holds while a step runs.
    enum FileRole: Sendable {
        /// The live `parley.db`; `archivedTurns` streams the turns retention moved out.
        case live(archivedTurns: @Sendable ((Turn) throws -> Void) throws -> Void)
        /// `archive.db`: turns and messages only, its aggregate trees unused.
        case archive
    }

    let from: UInt8
    /// One line for the upgrade's output: what changes in the file.
    let summary: String
    let apply: @Sendable (_ txn: WriteTransaction, _ role: FileRole) throws -> Void

    var to: UInt8 { from + 1 }

    /// Every step, oldest first; `StoreFormat.current` is the last one's `to`. A layout
    /// change adds its step here and bumps `TreeLayout.schemaVersion`.
    static let registry: [FormatMigration] = [
        .cellRollups,
        .packedText,
        .coarseCellsAndSpend,
        .sessionStartSummaries,
        .sessionStartCells,
        .contactRanks,
        .conversionCells,
    ]

    /// The steps from `version` to the current layout, in order.
    static func steps(from version: UInt8) throws -> [FormatMigration] {
        var steps: [FormatMigration] = []
        var at = version
        while at < StoreFormat.current {
            guard let step = registry.first(where: { $0.from == at }) else {
                throw StoreError.storage(StorageError(.unsupportedVersion, "no upgrade step from store format version \(at); this build upgrades from version \(registry.map(\.from).min().map(String.init) ?? "none") on. Upgrade with an earlier release first"))
            }
            steps.append(step)
            at = step.to
        }
        return steps
    }
}
