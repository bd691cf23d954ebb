import Foundation
import ParleyCore
import ParleyStore
import XCTest
import ParleyTestSupport

/// Random turns, leads, feedback, price changes and retention runs in random order:
/// after every step each rollup cell (every level) and each session's spend equal a
/// rebuild from the stored turns, and the cost of a window with millisecond edges
/// (by model, by contact, by Kolkata day, and Conversion per persona) equals pricing
/// every turn from scratch.
final class AggregatePropertyTests: StoreTestCase {
    func testAggregatesEqualARebuildAfterEveryStep() async throws {
        var rng = SeededGenerator.announced("testAggregatesEqualARebuildAfterEveryStep")
        let store = try openStore { $0.retentionBatch = 7 }
        defer { store.close() }
        let org = "org1"
        let base: Millis = 1_736_467_200_000
        let span: Millis = 3 * 86_400_000
        let models = ["gpt-4o", "gpt-4o-mini", "gemini-2.5-flash", "mistral-large", ""]
        var cutoff = base
        var setPrices: [Price] = []
        var turnNumber = 0
        for step in 0..<60 {
            let action: String
            switch Int.random(in: 0..<12, using: &rng) {
            case 0..<5:
                var turns: [Turn] = []
                for _ in 0..<Int.random(in: 1...25, using: &rng) {
                    turnNumber += 1
                    // Some ids repeat (retries, which must not count twice).
                    let id = Int.random(in: 0..<8, using: &rng) == 0 ? "t\(Int.random(in: 1...turnNumber, using: &rng))" : "t\(turnNumber)"
                    let time = base + Millis.random(in: 0..<span, using: &rng)
                    turns.append(Turn(turnId: id, organizationId: org, sessionId: "s\(Int.random(in: 0..<12, using: &rng))",
                                      deviceId: "d\(Int.random(in: 0..<3, using: &rng))", contactId: "c\(Int.random(in: 0..<4, using: &rng))",
                                      personaId: "p\(Int.random(in: 0..<2, using: &rng))", widgetId: "w0",
                                      model: models[Int.random(in: 0..<models.count, using: &rng)], userMessage: "q \(id)", aiResponse: "a",
                                      tokens: TokenCounts(input: Int64.random(in: 0...5_000, using: &rng), output: Int64.random(in: 0...2_000, using: &rng)),
                                      userMessageAt: time - Millis.random(in: 100...5_000, using: &rng), repliedAt: time))
                }
                _ = await store.logTurns(turns, receivedAt: base)
                action = "\(turns.count) turns"
            case 5, 6:
                let session = "s\(Int.random(in: 0..<12, using: &rng))"
                _ = try? await store.captureLead(Lead(organizationId: org, sessionId: session, name: "n", email: "e@x", company: "c",
                                                      capturedAt: base + Millis.random(in: 0..<span, using: &rng)), receivedAt: base)
                action = "lead for \(session)"
            case 7:
                let session = "s\(Int.random(in: 0..<12, using: &rng))"
                _ = try? await store.recordFeedback(Feedback(organizationId: org, sessionId: session, score: Int32.random(in: 1...5, using: &rng)), receivedAt: base)
                action = "feedback for \(session)"
            case 8, 9:
                // Effective at a random millisecond (inside a 15-minute cell, so reports must
                // read that cell's turns) or on a quarter or hour edge (inside an hour or day
                // cell, so reports must use finer cells there).
                let at = base + Millis.random(in: 0..<span, using: &rng)
                let level = [CellLevel.quarter, .hour, nil][Int.random(in: 0..<3, using: &rng)]
                let price = Price(modelPattern: ["gpt-4o", "gemini", "mistral-large"][Int.random(in: 0..<3, using: &rng)],
                                  inputNanosPerMTok: Int64.random(in: 1...9, using: &rng) * 1_000_000_000 + 123_457,
                                  outputNanosPerMTok: Int64.random(in: 1...30, using: &rng) * 1_000_000_000 + 7,
                                  effectiveFrom: level?.start(of: at) ?? at)
                setPrices.append(try await store.setPrice(price))
                action = "price \(price.modelPattern) from \(price.effectiveFrom)"
            case 10 where !setPrices.isEmpty:
                let price = setPrices.remove(at: Int.random(in: 0..<setPrices.count, using: &rng))
                try await store.deletePrice(modelPattern: price.modelPattern, effectiveFrom: price.effectiveFrom)
                action = "delete price \(price.modelPattern) from \(price.effectiveFrom)"
            default:
                cutoff += Millis.random(in: 0..<(span / 6), using: &rng)
                _ = try await store.retainDetail(olderThan: cutoff, organization: nil) { _, _ in }
                action = "retention before \(cutoff)"
            }
            // Every aggregate (the cells of every level, the session spend, the sessions'
            // start index) against its rebuild: what `admin check` runs.
            let mismatches = try store.aggregateMismatches()
            XCTAssertEqual(mismatches, [], "step \(step) (\(action)): \(mismatches.prefix(3).map(\.description))")
            try assertCostsMatchPricingEveryTurn(store, org: org, window: TimeWindow(since: base + Millis.random(in: 0..<(span / 2), using: &rng),
                                                                                        until: base + span / 2 + Millis.random(in: 0..<(span / 2), using: &rng)),
                                                 step: step)
        }
        try assertClean(store)
    }

    /// Models and contacts cost over `window` against each turn priced at its own time
    /// with the table as it is now, summed exactly and rounded half up once per row. The
    /// turns come from the live file and the archive (thread view reads both).
    private func assertCostsMatchPricingEveryTurn(_ store: ParleyStore, org: String, window: TimeWindow, step: Int) throws {
        let prices = try store.prices()
        var byModel: [String: ExactCost] = [:]
        var byContact: [String: ExactCost] = [:]
        var seen = Set<String>()
        var turns: [Turn] = []
        var bySessionPersona: [String: [String: ExactCost]] = [:]
        for contact in (0..<4).map({ "c\($0)" }) {
            var token: String?
            repeat {
                let page = try store.contactThread(organization: org, contact: contact, pageSize: 1000, pageToken: token)
                for entry in page.entries {
                    guard let turn = entry.reply, seen.insert(turn.turnId).inserted else { continue }
                    let cost = ExactCost(turn.tokens ?? .zero, price: prices.resolve(model: turn.model, at: turn.endedAt ?? 0))
                    if !turn.personaId.isEmpty {
                        bySessionPersona[turn.sessionId, default: [:]][turn.personaId, default: ExactCost()].add(cost)
                    }
                    guard window.contains(turn.endedAt ?? 0) else { continue }
                    turns.append(turn)
                    byModel[turn.model.isEmpty ? Turn.unknownModelLabel : turn.model, default: ExactCost()].add(cost)
                    byContact[contact, default: ExactCost()].add(cost)
                }
                token = page.nextPageToken
            } while token != nil
        }
        let models = try store.reportModels(ReportQuery(organization: org, window: window))
        XCTAssertEqual(Dictionary(uniqueKeysWithValues: models.rows.map { ($0.model, $0.cost) }), byModel.mapValues(\.cost), "models cost at step \(step)")
        let contacts = try store.reportContacts(ReportQuery(organization: org, window: window, top: 10))
        XCTAssertEqual(Dictionary(uniqueKeysWithValues: contacts.map { ($0.contactId, $0.cost) }), byContact.mapValues(\.cost), "contacts cost at step \(step)")
        // Local days in a half-hour zone: hour and day cells inside, quarters at each local midnight.
        let kolkata = try ZoneBucketer.named("Asia/Kolkata")
        let daily = try store.usage(organization: org, query: UsageQuery(window: window, timeZone: "Asia/Kolkata", granularity: .day, groupBy: [.model]))
        XCTAssertEqual(Dictionary(uniqueKeysWithValues: daily.rows.map { ("\($0.bucketLabel) \($0.group[0])", "\($0.count) \($0.tokens.total) \($0.cost)") }),
                       byDayAndModel(turns, kolkata: kolkata, prices: prices), "Kolkata days at step \(step)")
        try assertConversionMatchesTurns(store, org: org, bySessionPersona: bySessionPersona, step: step)
    }

    /// Conversion over all time from each session's spend, against its turns priced
    /// one by one: sessions per persona and their exact cost.
    private func assertConversionMatchesTurns(_ store: ParleyStore, org: String, bySessionPersona: [String: [String: ExactCost]], step: Int) throws {
        var expected: [String: (sessions: Int64, cost: ExactCost)] = [:]
        for personas in bySessionPersona.values {
            for (persona, cost) in personas {
                var entry = expected[persona] ?? (0, ExactCost())
                entry.sessions += 1
                entry.cost.add(cost)
                expected[persona] = entry
            }
        }
        let report = try store.reportConversion(ReportQuery(organization: org, window: ReportQuery.allTime))
        XCTAssertEqual(Dictionary(uniqueKeysWithValues: report.personas.map { ($0.personaId, "\($0.sessions) \($0.cost)") }),
                       expected.mapValues { "\($0.sessions) \($0.cost.cost)" }, "conversion at step \(step)")
    }

    /// (local day, model) -> "count total-tokens cost" from each turn priced at its own time.
    private func byDayAndModel(_ turns: [Turn], kolkata: ZoneBucketer, prices: PriceTable) -> [String: String] {
        var rows: [String: (count: Int64, tokens: Int64, cost: ExactCost)] = [:]
        for turn in turns {
            let time = turn.endedAt ?? 0
            let key = "\(kolkata.bucket(containing: time, granularity: .day).label) \(turn.model.isEmpty ? Turn.unknownModelLabel : turn.model)"
            var row = rows[key] ?? (0, 0, ExactCost())
            row.count += 1
            row.tokens += turn.tokens?.total ?? 0
            row.cost.add(ExactCost(turn.tokens ?? .zero, price: prices.resolve(model: turn.model, at: time)))
            rows[key] = row
        }
        return rows.mapValues { "\($0.count) \($0.tokens) \($0.cost.cost)" }
    }

    /// Money as the exact rational sum: nanos x 10^6 in 128 bits.
    private struct ExactCost {
        var microNanos: Int128 = 0
        var unpriced: Int64 = 0

        init() {}

        init(_ tokens: TokenCounts, price: Price?) {
            guard let price else { unpriced = tokens.total; return }
            microNanos = Int128(tokens.input) * Int128(price.inputNanosPerMTok) + Int128(tokens.output) * Int128(price.outputNanosPerMTok)
                + Int128(tokens.cachedRead) * Int128(price.cachedReadNanosPerMTok) + Int128(tokens.cacheWrite) * Int128(price.cacheWriteNanosPerMTok)
        }

        mutating func add(_ other: ExactCost) {
            microNanos += other.microNanos
            unpriced += other.unpriced
        }

        var cost: Cost { Cost(priced: Money(nanos: Int64((microNanos + 500_000) / 1_000_000)), unpricedTokens: unpriced) }
    }
}
