import ParleyWire

/// A contact's conversation, newest first: each message and the AI reply that answered it.
public enum ThreadView {
    public static let view = AnswerView<V1.ThreadPage>(rows: \.entries) { page, context in
        var t = Table(columns: ["time", "from", "text", "model", "tokens"], rightAligned: [4])
        let textWidth = max(20, context.width - 50)
        for entry in page.entries {
            let flag = entry.archived == true ? " (archived)" : ""
            if let reply = entry.reply {
                t.add([TimeDisplay.minute(reply.repliedAtMs, zone: context.zone), "ai" + flag,
                       clip(reply.aiResponse ?? "", textWidth), reply.model ?? "",
                       Format.integer(reply.tokens?.total ?? 0)])
            }
            if let message = entry.message {
                let outbound = message.direction == .outbound
                t.add([TimeDisplay.minute(message.createdAtMs, zone: context.zone), (outbound ? "us" : "contact") + flag,
                       clip(message.content ?? "", textWidth), "", ""])
            } else if let reply = entry.reply, let asked = reply.userMessage, !asked.isEmpty {
                t.add([TimeDisplay.minute(reply.userMessageAtMs, zone: context.zone), "contact" + flag,
                       clip(asked, textWidth), "", ""])
            }
        }
        var out = t.render()
        if let next = page.nextPageToken, !next.isEmpty {
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
