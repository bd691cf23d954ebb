import Foundation
import ParleyCore

/// What a token repair looked at and changed.
public struct RepairResult: Sendable, Equatable {
    public var examined: Int64 = 0
    /// Turns whose total (the seed's tokens_used) was 0 and became input + output.
    public var tokensFixed: Int64 = 0
    /// Turns without a model that took their persona's default model.
    public var modelsFilled: Int64 = 0
}

extension ParleyStore {
    /// The seed's fixes for imported legacy rows, in batches of `StoreOptions.retentionBatch`
    /// turns per write transaction: `tokens_used = input + output WHERE tokens_used = 0`,
    /// and a missing model taken from the persona's default. Each changed turn's rollup
    /// cells and its session's token totals are corrected in the same transaction.
    public func repairTokens(organization: String?) async throws -> RepairResult {
        let prefix = organization.map(Keys.organization) ?? []
        let end = organization.map { Keys.end(of: Keys.organization($0)) } ?? [0xFF]
        let batch = max(1, options.retentionBatch)
        var result = RepairResult()
        var next: [UInt8]? = prefix
        while let from = next {
            let now = Millis(Date().timeIntervalSince1970 * 1000)
            let step = try await submit(items: batch) { txn in
                Result<(RepairResult, [UInt8]?), StoreError>.success(try TokenRepairStep(txn: txn).run(from: from, to: end, limit: batch, at: now))
            }
            result.examined += step.0.examined
            result.tokensFixed += step.0.tokensFixed
            result.modelsFilled += step.0.modelsFilled
            next = step.1
        }
        return result
    }
}

/// One transaction of a token repair over the `turns` keys in [from, to).
struct TokenRepairStep {
    let txn: StoreTransaction

    func run(from: [UInt8], to: [UInt8], limit: Int, at time: Millis) throws -> (RepairResult, [UInt8]?) {
        var result = RepairResult()
        var pending: [(key: [UInt8], turn: Turn)] = []
        var next: [UInt8]?
        try txn.tree(TreeLayout.turns).forEach(from: from, to: to) { key, value in
            guard pending.count < limit else {
                next = key
                return false
            }
            pending.append((key, try StoreTransaction.decode(Turn.self, value, tree: TreeLayout.turns)))
            return true
        }
        var defaults: [[UInt8]: String] = [:]
        for (key, stored) in pending {
            result.examined += 1
            var repaired = stored
            if var tokens = stored.tokens, tokens.total == 0, tokens.sumOfKinds > 0 {
                tokens.total = tokens.sumOfKinds
                repaired.tokens = tokens
                result.tokensFixed += 1
            }
            if stored.model.isEmpty, !stored.personaId.isEmpty {
                let personaKey = Keys.entity(stored.organizationId, stored.personaId)
                if defaults[personaKey] == nil {
                    defaults[personaKey] = try txn.get(Persona.self, TreeLayout.personas, personaKey)?.defaultModel ?? ""
                }
                if let model = defaults[personaKey], !model.isEmpty {
                    repaired.model = model
                    result.modelsFilled += 1
                }
            }
            guard repaired != stored else { continue }
            try txn.put(repaired, TreeLayout.turns, key)
            let writer = SessionMetricsWriter(txn: txn)
            let previous = try writer.load(organization: stored.organizationId, session: stored.sessionId)
            try RollupWriter(txn: txn).replace(stored, with: repaired, sessionHasLead: previous?.hasLead ?? false)
            let spend = try SessionSpendWriter(txn: txn).record(repaired)
            var metrics = previous
            if let previous, repaired.tokens?.total != stored.tokens?.total {
                metrics?.totalTokens += (repaired.tokens?.total ?? 0) - (stored.tokens?.total ?? 0)
                metrics?.touch(at: time)
                if let metrics { try writer.save(metrics, replacing: previous) }
            }
            try ConversionCells(txn: txn).move(organization: stored.organizationId, from: (previous, spend.old), to: (metrics, spend.new))
        }
        return (result, next)
    }
}
