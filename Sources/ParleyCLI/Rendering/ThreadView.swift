import ParleyWire

/// A contact's conversation, newest first: each message and the AI reply that answered it.
public enum ThreadView {
    public static let view = AnswerView(rowsField: "entries") { page, context in
        var t = Table(columns: ["time", "from", "text", "model", "tokens"], rightAligned: [4])
        let textWidth = max(20, context.width - 50)
        for entry in page.messages("entries") {
            let flag = entry.bool("archived") == true ? " (archived)" : ""
            if let reply = entry.message("reply") {
                t.add([TimeDisplay.minute(reply.int("replied_at_ms"), zone: context.zone), "ai" + flag,
                       clip(reply.string("ai_response") ?? "", textWidth), reply.string("model") ?? "",
                       Format.integer(reply.message("tokens")?.int("total") ?? 0)])
            }
            if let message = entry.message("message") {
                let outbound = message.int("direction") == 2
                t.add([TimeDisplay.minute(message.int("created_at_ms"), zone: context.zone), (outbound ? "us" : "contact") + flag,
                       clip(message.string("content") ?? "", textWidth), "", ""])
            } else if let reply = entry.message("reply"), let asked = reply.string("user_message"), !asked.isEmpty {
                t.add([TimeDisplay.minute(reply.int("user_message_at_ms"), zone: context.zone), "contact" + flag,
                       clip(asked, textWidth), "", ""])
            }
        }
        var out = t.render()
        if let next = page.string("next_page_token"), !next.isEmpty {
            out += "\n\nolder entries: --page-token \(next)"
        }
        return out
    }

    /// One line of at most `width` characters, newlines folded.
    static func clip(_ text: String, _ width: Int) -> String {
        let flat = text.replacingOccurrences(of: "\n", with: " ")
        return flat.count <= width ? flat : String(flat.prefix(width - 1)) + "…"
    }
}
