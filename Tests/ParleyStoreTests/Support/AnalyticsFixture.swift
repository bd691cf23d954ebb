import Foundation
import ParleyCore
import ParleyStore
import ParleyTestSupport

/// Generated conversations for report tests, logged into a store and mirrored into the
/// seed's SQLite tables. Edge cases on purpose: turns without a device, contact or
/// persona; tokens_used 0; models with no price and no model at all (persona default
/// and truly unknown); every turn delivered twice; turns exactly on and just before
/// hour and day edges; two organizations sharing ids.
struct AnalyticsFixture {
    static let organizations = ["org-a", "org-b"]
    static let models = ["gpt-4o", "gpt-4o-mini", "claude-3-5-haiku-20241022", "gemini-2.5-flash", "mistral-large", ""]

    let start: Millis
    let days: Int
    let mirror: SeedMirror
    var turns: [Turn] = []
    var messages: [Message] = []

    var end: Millis { start + Millis(days) * 86_400_000 }

    /// Logs `perOrganization` turns per organization over `days` days from `start`.
    static func make(store: ParleyStore, start: Millis, days: Int, perOrganization: Int, seed: UInt64) async throws -> AnalyticsFixture {
        var fixture = AnalyticsFixture(start: start, days: days, mirror: try SeedMirror())
        var random = SeededGenerator(seed: seed)
        for org in organizations {
            for i in 0..<4 {
                let device = Device(organizationId: org, deviceId: "d\(i)", name: "Phone \(i) \(org)", phoneNumber: "+1555000\(i)")
                _ = try await store.upsertDevice(device)
                try fixture.mirror.insert(device)
            }
            for i in 0..<4 {
                // p3 has no default model: its model-less turns stay "(unknown)".
                let persona = Persona(organizationId: org, personaId: "p\(i)", name: "Persona \(i)", defaultModel: i == 3 ? "" : models[i])
                _ = try await store.upsertPersona(persona)
                try fixture.mirror.insert(persona)
            }
            for i in 0..<30 {
                let contact = Contact(organizationId: org, contactId: "c\(i)", name: "Contact \(i)", phoneNumber: "+4900\(i)")
                _ = try await store.upsertContact(contact)
                try fixture.mirror.insert(contact)
            }
            var batch: [Turn] = []
            for n in 0..<perOrganization {
                let time = fixture.time(n, of: perOrganization, random: &random)
                let contact = Int.random(in: 0..<31, using: &random)
                let device = Int.random(in: 0..<5, using: &random)
                let persona = Int.random(in: 0..<5, using: &random)
                let model = models[Int.random(in: 0..<models.count, using: &random)]
                let input = Int64.random(in: 0..<3000, using: &random)
                let output = Int64.random(in: 0..<1500, using: &random)
                var tokens: TokenCounts? = TokenCounts(input: input, output: output, total: n % 7 == 0 ? 0 : input + output + Int64.random(in: 0..<50, using: &random))
                if n % 13 == 0 { tokens = TokenCounts() } // zero everything: tokens_used stays 0
                if n % 17 == 0 { tokens = nil }            // estimated from the text
                let messageId = n % 3 == 0 ? "" : "m\(n)"
                let turn = Turn(turnId: "t\(n)", organizationId: org, sessionId: "s\(n / 5)", deviceId: device == 4 ? "" : "d\(device)",
                                messageId: messageId, contactId: contact == 30 ? "" : "c\(contact)", personaId: persona == 4 ? "" : "p\(persona)",
                                widgetId: "w\(n % 2)", userId: "u1", model: model, userMessage: "question \(n)", aiResponse: "answer \(n) for you",
                                tokens: tokens, userMessageAt: time - Int64.random(in: 200..<5000, using: &random), repliedAt: time)
                batch.append(turn)
                if !messageId.isEmpty, n % 5 != 0 {
                    let message = Message(messageId: messageId, organizationId: org, contactId: turn.contactId, deviceId: turn.deviceId,
                                          sessionId: turn.sessionId, direction: .inbound, content: "question \(n)", createdAt: turn.userMessageAt)
                    _ = try await store.logMessage(message, receivedAt: time)
                    fixture.messages.append(message)
                    try fixture.mirror.insert(message)
                }
            }
            // Every turn delivered twice: the second is a retry and must not count.
            for chunk in stride(from: 0, to: batch.count, by: 200) {
                let slice = Array(batch[chunk..<min(chunk + 200, batch.count)])
                for delivery in 0..<2 {
                    for result in await store.logTurns(slice, receivedAt: slice[0].repliedAt ?? 0) {
                        guard case let .accepted(stored, _, _) = result else { throw StoreError.conflict("fixture turn refused: \(result)") }
                        if delivery == 0 {
                            fixture.turns.append(stored)
                            try fixture.mirror.insert(stored)
                        }
                    }
                }
            }
        }
        return fixture
    }

    /// Mostly random times, with every 10th turn on an edge: a UTC hour start, the ms
    /// before it, a UTC midnight, the ms before it, a half hour (local midnight in
    /// UTC+5:30 and UTC-3:30) or the ms before a quarter past (UTC+5:45).
    private func time(_ n: Int, of count: Int, random: inout SeededGenerator) -> Millis {
        let span = end - start
        let t = start + Millis.random(in: 0..<span, using: &random)
        guard n % 10 == 0 else { return t }
        let hour = t - ((t % 3_600_000) + 3_600_000) % 3_600_000
        let day = t - ((t % 86_400_000) + 86_400_000) % 86_400_000
        switch (n / 10) % 6 {
        case 0: return hour
        case 1: return max(start, hour - 1)
        case 2: return day
        case 3: return max(start, day - 1)
        case 4: return min(hour + 30 * 60_000, end - 1)
        default: return min(hour + 15 * 60_000 - 1, end - 1)
        }
    }
}
