import ParleyCore

/// The benchmark's conversations, generated from a seed in time order so that Parley,
/// SQLite and DuckDB load exactly the same rows without the bench holding them all:
/// `n` turns over `days` days up to `end`, in sessions of 1 to 7 turns of one contact,
/// device and persona; contacts skewed (a few heavy ones), so the top 20 by cost are
/// well separated and every system ranks them alike.
struct ConversationData {
    static let organization = "bench"
    static let devices = 50
    static let personas = 20
    static let contacts = 100_000
    /// Priced by both the seed's CASE and Parley's seed prices (gpt-4o*, claude-3-5-haiku*,
    /// gemini* free) or by neither (the last three: the seed's ELSE 0, Parley's unpriced).
    static let models = ["gpt-4o", "gpt-4o-mini", "claude-3-5-haiku-20241022", "gemini-2.5-flash", "gemini-2.0-flash",
                         "mistral-large", "llama-3.1-70b", "command-r"]

    struct Session {
        var id: String
        var turns: [Turn]
        /// Captured one second after the last reply, for every fifth session.
        var leadAt: Millis?
    }

    let turns: Int
    let days: Int
    let end: Millis
    var start: Millis { end - Millis(days) * 86_400_000 }

    static func deviceId(_ i: Int) -> String { "dev-\(i)" }
    static func personaId(_ i: Int) -> String { "persona-\(i)" }
    static func contactId(_ i: Int) -> String { "contact-\(i)" }

    var directory: (devices: [Device], personas: [Persona], contacts: [Contact]) {
        let org = Self.organization
        return ((0..<Self.devices).map { Device(organizationId: org, deviceId: Self.deviceId($0), name: "Phone \($0)", phoneNumber: "+1555\(1000 + $0)") },
                (0..<Self.personas).map { Persona(organizationId: org, personaId: Self.personaId($0), name: "Persona \($0)", defaultModel: Self.models[$0 % Self.models.count]) },
                (0..<Self.contacts).map { Contact(organizationId: org, contactId: Self.contactId($0), name: "Contact \($0)", phoneNumber: "+49\(100_000_000 + $0)") })
    }

    /// Calls `body` with sessions in time order, about `chunk` turns at a time.
    func generate(chunk: Int, _ body: ([Session]) async throws -> Void) async throws {
        var random = StorageSuite.Rng(state: 0x5EED)
        // Ten minutes short of `end`, so no session runs past the reports' "now".
        let span = end - start - 600_000
        var produced = 0
        var sessionNumber = 0
        var pending: [Session] = []
        var pendingTurns = 0
        while produced < turns {
            let length = min(turns - produced, 1 + Int(random.next() % 7))
            // Sessions start evenly through the span; turns of a session are seconds apart.
            var time = start + Millis(Double(produced) / Double(turns) * Double(span)) + Millis(random.next() % 1000)
            let unit = Double(random.next() % 1_000_000) / 1_000_000
            let contact = Int(Double(Self.contacts) * unit * unit * unit)
            let device = Int(random.next() % UInt64(Self.devices))
            let persona = Int(random.next() % UInt64(Self.personas))
            let id = "s-\(sessionNumber)"
            var session = Session(id: id, turns: [], leadAt: nil)
            for k in 0..<length {
                let asked = time
                time += 500 + Millis(random.next() % 6000)
                let input = 50 + Int64(random.next() % 2950)
                let output = 20 + Int64(random.next() % 1480)
                session.turns.append(Turn(
                    turnId: "\(id)-\(k)", organizationId: Self.organization, sessionId: id, deviceId: Self.deviceId(device),
                    contactId: Self.contactId(contact), personaId: Self.personaId(persona),
                    model: Self.models[Int(random.next() % UInt64(Self.models.count))], userMessage: "q", aiResponse: "a",
                    tokens: TokenCounts(input: input, output: output, total: input + output), userMessageAt: asked, repliedAt: time))
                time += 1000 + Millis(random.next() % 20_000)
            }
            if sessionNumber % 5 == 0, let last = session.turns.last?.repliedAt { session.leadAt = last + 1000 }
            produced += length
            sessionNumber += 1
            pendingTurns += length
            pending.append(session)
            if pendingTurns >= chunk {
                try await body(pending)
                pending.removeAll(keepingCapacity: true)
                pendingTurns = 0
            }
        }
        if !pending.isEmpty { try await body(pending) }
    }
}
