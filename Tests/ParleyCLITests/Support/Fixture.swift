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

    static func turnMessage(_ t: TurnSpec) -> ProtoMessage {
        var m = ProtoMessage(RecordTypes.turn)
        m.set("turn_id", t.id)
        m.set("organization_id", org)
        m.set("session_id", t.session)
        m.set("device_id", t.device)
        m.set("message_id", "m-\(t.id)")
        m.set("contact_id", t.contact)
        m.set("persona_id", t.persona)
        m.set("model", t.model)
        m.set("user_message", t.userMessage)
        m.set("ai_response", t.reply)
        var tokens = ProtoMessage(RecordTypes.tokenCounts)
        tokens.set("input", t.input)
        tokens.set("output", t.output)
        m.set("tokens", tokens)
        m.set("user_message_at_ms", t.repliedAt - 2_000)
        m.set("replied_at_ms", t.repliedAt)
        return m
    }

    /// Loads everything through the RPCs the CLI's own commands would use.
    static func load(into client: ParleyClient) async throws {
        for (id, name, phone) in devices {
            var d = ProtoMessage(RecordTypes.device)
            d.set("organization_id", org); d.set("device_id", id); d.set("name", name); d.set("phone_number", phone)
            _ = try await client.dynamicCall(.upsertDevice, d)
        }
        for (id, name) in contacts {
            var c = ProtoMessage(RecordTypes.contact)
            c.set("organization_id", org); c.set("contact_id", id); c.set("name", name)
            _ = try await client.dynamicCall(.upsertContact, c)
        }
        for (id, name, model) in personas {
            var p = ProtoMessage(RecordTypes.persona)
            p.set("organization_id", org); p.set("persona_id", id); p.set("name", name); p.set("default_model", model)
            _ = try await client.dynamicCall(.upsertPersona, p)
        }
        for (model, input, output) in [("gpt-4o", Int64(2_500_000_000), Int64(10_000_000_000)),
                                       ("claude-3-5-haiku", Int64(250_000_000), Int64(1_250_000_000))] {
            var p = ProtoMessage(RecordTypes.price)
            p.set("model_pattern", model); p.set("input_nanos_per_mtok", input); p.set("output_nanos_per_mtok", output)
            p.set("effective_from_ms", Int64(0))
            _ = try await client.dynamicCall(.setPrice, p)
        }
        for t in turns {
            var m = ProtoMessage(RecordTypes.message)
            m.set("message_id", "m-\(t.id)"); m.set("organization_id", org); m.set("contact_id", t.contact)
            m.set("device_id", t.device); m.set("session_id", t.session); m.set("direction", Int32(1))
            m.set("content", t.userMessage); m.set("created_at_ms", t.repliedAt - 2_000)
            _ = try await client.dynamicCall(.logMessage, m)
        }
        var batch = ProtoMessage(Method.logTurns.requestType)
        batch.set("turns", messages: turns.map(turnMessage))
        let answer = try await client.dynamicCall(.logTurns, batch)
        let failed = answer.messages("items").filter { ($0.uint("status") ?? 0) != 0 }
        if let first = failed.first { throw RPCError(.internal, "fixture turn rejected: \(JSONRender.object(first))") }
        for session in ["s-1", "s-4"] {
            var lead = ProtoMessage(RecordTypes.lead)
            lead.set("organization_id", org); lead.set("session_id", session); lead.set("name", "Lead \(session)")
            lead.set("email", "\(session)@example.com")
            _ = try await client.dynamicCall(.captureLead, lead)
        }
        var feedback = ProtoMessage(RecordTypes.feedback)
        feedback.set("organization_id", org); feedback.set("session_id", "s-2"); feedback.set("score", Int32(4))
        _ = try await client.dynamicCall(.recordFeedback, feedback)
    }
}
