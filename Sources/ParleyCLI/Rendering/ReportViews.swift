import ParleyWire

/// Table views of the seed's per-entity reports: devices, models, personas, contacts.
public enum ReportViews {
    public static let devices = AnswerView(rowsField: "rows") { answer, context in
        var t = Table(columns: ["device", "phone", "conversations", "tokens", "avg tokens", "last conversation"],
                      rightAligned: [2, 3, 4])
        for r in answer.messages("rows") {
            t.add([label(r.string("device_name"), r.string("device_id")), r.string("phone_number") ?? "",
                   Format.integer(r.int("conversations") ?? 0), Format.integer(r.int("total_tokens") ?? 0),
                   Format.decimal(r.double("avg_tokens") ?? 0), TimeDisplay.minute(r.int("last_conversation_ms"), zone: context.zone)])
        }
        return t.render()
    }

    public static let models = AnswerView(rowsField: "rows") { answer, _ in
        // input excludes cache reads and writes; reasoning is part of output (docs/TOKENS.md).
        var t = Table(columns: ["model", "conversations", "input", "cache read", "cache write", "output", "reasoning", "total", "cost"],
                      rightAligned: [1, 2, 3, 4, 5, 6, 7, 8])
        for r in answer.messages("rows") {
            t.add([r.string("model") ?? "(none)", Format.integer(r.int("conversations") ?? 0),
                   Format.integer(r.int("input_tokens") ?? 0), Format.integer(r.int("cached_read_tokens") ?? 0),
                   Format.integer(r.int("cache_write_tokens") ?? 0), Format.integer(r.int("output_tokens") ?? 0),
                   Format.integer(r.int("reasoning_tokens") ?? 0), Format.integer(r.int("total_tokens") ?? 0),
                   r.bool("priced") == false ? "unpriced" : CostText.text(r.message("cost"))])
        }
        return t.render() + "\n\ntotal cost: " + CostText.text(answer.message("total_cost"))
    }

    public static let personas = AnswerView(rowsField: "rows") { answer, _ in
        var t = Table(columns: ["persona", "model", "conversations", "avg tokens", "tokens"], rightAligned: [2, 3, 4])
        for r in answer.messages("rows") {
            t.add([label(r.string("persona_name"), r.string("persona_id")), r.string("model") ?? "",
                   Format.integer(r.int("conversations") ?? 0), Format.decimal(r.double("avg_tokens") ?? 0),
                   Format.integer(r.int("total_tokens") ?? 0)])
        }
        return t.render()
    }

    public static let contacts = AnswerView(rowsField: "rows") { answer, _ in
        var t = Table(columns: ["contact", "phone", "interactions", "tokens", "cost"], rightAligned: [2, 3, 4])
        for r in answer.messages("rows") {
            t.add([label(r.string("name"), r.string("contact_id")), r.string("phone_number") ?? "",
                   Format.integer(r.int("interactions") ?? 0), Format.integer(r.int("total_tokens") ?? 0),
                   CostText.text(r.message("cost"))])
        }
        return t.render()
    }

    /// "Sales bot (p-1)" when a name is known, else the id alone.
    static func label(_ name: String?, _ id: String?) -> String {
        let id = id ?? ""
        guard let name, !name.isEmpty, name != id else { return id.isEmpty ? "(none)" : id }
        return id.isEmpty ? name : "\(name) (\(id))"
    }
}
