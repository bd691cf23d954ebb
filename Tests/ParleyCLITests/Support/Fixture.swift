import Foundation
@testable import ParleyCLI
import ParleyClient
import ParleyWire

/// Generated data for live tests: one organization, two devices, four contacts, two
/// personas, three models (mistral-large has no price), 60 turns in 20 sessions over three UTC
/// days from 2026-11-02, an inbound message per turn, two leads and some feedback.
enum Fixture {
    static let org = "acme"
    static let start: Int64 = 1_793_577_600_000 // 2026-11-02T00:00:00Z
    static let hour: Int64 = 3_600_000
    static let models = ["gpt-4o", "claude-3-5-haiku", "mistral-large"]
    static let devices = [("d-1", "Front desk", "+15550001"), ("d-2", "Sales line", "+15550002")]
    static let contacts = [("c-1", "Ada"), ("c-2", "Brook"), ("c-3", "Chen"), ("c-4", "Dana")]
    static let personas = [("p-sales", "Sales bot", "gpt-4o"), ("p-support", "Support bot", "claude-3-5-haiku")]
    static let turnCount = 60

    /// The whole window holding the data, as `--since/--until` arguments.
    static let windowArgs = ["--since", "2026-11-01", "--until", "2026-11-06", "--org", org]
    static let sinceMs: Int64 = 1_793_491_200_000 // 2026-11-01
    static let untilMs: Int64 = 1_793_923_200_000 // 2026-11-06

    struct TurnSpec {
        let id: String, session: String, device: String, contact: String, persona: String, model: String
        let input: Int64, output: Int64, repliedAt: Int64, userMessage: String, reply: String
    }

    static let turns: [TurnSpec] = (0..<turnCount).map { i in
        let session = i / 3
        return TurnSpec(
            id: "t-\(i)", session: "s-\(session)", device: devices[session % 2].0, contact: contacts[session % 4].0,
            persona: personas[session % 2].0, model: models[i % 3],
            input: 100 + Int64(i) * 3, output: 50 + Int64(i), repliedAt: start + Int64(i) * 70 * 60_000 + 2_000,
            userMessage: "question \(i)", reply: "answer \(i)")
    }

    static func turnMessage(_ t: TurnSpec) -> V1.Turn {
        var m = V1.Turn(turnID: t.id, organizationID: org, sessionID: t.session, deviceID: t.device, messageID: "m-\(t.id)",
                        contactID: t.contact, personaID: t.persona, model: t.model, userMessage: t.userMessage, aiResponse: t.reply,
                        tokens: V1.TokenCounts(input: t.input, output: t.output))
        m.userMessageAtMs = t.repliedAt - 2_000
        m.repliedAtMs = t.repliedAt
        return m
    }

    /// Loads everything through the RPCs the CLI's own commands would use.
    static func load(into client: ParleyClient) async throws {
        for (id, name, phone) in devices {
            _ = try await client.upsertDevice(V1.Device(organizationID: org, deviceID: id, name: name, phoneNumber: phone))
        }
        for (id, name) in contacts {
            _ = try await client.upsertContact(V1.Contact(organizationID: org, contactID: id, name: name))
        }
        for (id, name, model) in personas {
            _ = try await client.upsertPersona(V1.Persona(organizationID: org, personaID: id, name: name, defaultModel: model))
        }
        for (model, input, output) in [("gpt-4o", Int64(2_500_000_000), Int64(10_000_000_000)),
                                       ("claude-3-5-haiku", Int64(250_000_000), Int64(1_250_000_000))] {
            _ = try await client.setPrice(V1.Price(modelPattern: model, inputNanosPerMtok: input, outputNanosPerMtok: output,
                                                   effectiveFromMs: 0))
        }
        for t in turns {
            _ = try await client.logMessage(V1.Message(messageID: "m-\(t.id)", organizationID: org, contactID: t.contact,
                                                       deviceID: t.device, sessionID: t.session, direction: .inbound,
                                                       content: t.userMessage, createdAtMs: t.repliedAt - 2_000))
        }
        let answer = try await client.logTurns(V1.LogTurnsRequest(turns: turns.map(turnMessage)))
        let failed = answer.items.filter { ($0.status ?? 0) != 0 }
        if let first = failed.first { throw RPCError(.internal, "fixture turn rejected: \(JSONRender.object(first))") }
        for session in ["s-1", "s-4"] {
            _ = try await client.captureLead(V1.Lead(organizationID: org, sessionID: session, name: "Lead \(session)",
                                                     email: "\(session)@example.com"))
        }
        _ = try await client.recordFeedback(V1.Feedback(organizationID: org, sessionID: "s-2", score: 4))
    }
}
