import ParleyWire

/// Table views of the seed's per-entity reports: devices, models, personas, contacts.
public enum ReportViews {
    public static let devices = AnswerView<V1.DevicesReport>(rows: \.rows) { answer, context in
        var t = Table(columns: ["device", "phone", "conversations", "tokens", "cache read", "reasoning", "avg tokens", "last conversation"],
                      rightAligned: [2, 3, 4, 5, 6])
        for r in answer.rows {
            t.add([label(r.deviceName, r.deviceID), r.phoneNumber ?? "",
                   Format.integer(r.conversations ?? 0), Format.integer(r.totalTokens ?? 0),
                   Format.integer(r.cachedReadTokens ?? 0), Format.integer(r.reasoningTokens ?? 0),
                   Format.decimal(r.avgTokens ?? 0), TimeDisplay.minute(r.lastConversationMs, zone: context.zone)])
        }
        return t.render()
    }

    public static let models = AnswerView<V1.ModelsReport>(rows: \.rows) { answer, _ in
        // input excludes cache reads and writes; reasoning is part of output (docs/TOKENS.md).
        var t = Table(columns: ["model", "conversations", "input", "cache read", "cache write", "output", "reasoning", "total", "cost"],
                      rightAligned: [1, 2, 3, 4, 5, 6, 7, 8])
        for r in answer.rows {
            t.add([r.model ?? "(none)", Format.integer(r.conversations ?? 0),
                   Format.integer(r.inputTokens ?? 0), Format.integer(r.cachedReadTokens ?? 0),
                   Format.integer(r.cacheWriteTokens ?? 0), Format.integer(r.outputTokens ?? 0),
                   Format.integer(r.reasoningTokens ?? 0), Format.integer(r.totalTokens ?? 0),
                   r.priced == false ? "unpriced" : CostText.text(r.cost)])
        }
        return t.render() + "\n\ntotal cost: " + CostText.text(answer.totalCost)
    }

    public static let personas = AnswerView<V1.PersonasReport>(rows: \.rows) { answer, _ in
        var t = Table(columns: ["persona", "model", "conversations", "avg tokens", "tokens", "cache read", "reasoning"],
                      rightAligned: [2, 3, 4, 5, 6])
        for r in answer.rows {
            t.add([label(r.personaName, r.personaID), r.model ?? "",
                   Format.integer(r.conversations ?? 0), Format.decimal(r.avgTokens ?? 0),
                   Format.integer(r.totalTokens ?? 0), Format.integer(r.cachedReadTokens ?? 0),
                   Format.integer(r.reasoningTokens ?? 0)])
        }
        return t.render()
    }

    public static let contacts = AnswerView<V1.ContactsReport>(rows: \.rows) { answer, _ in
        var t = Table(columns: ["contact", "phone", "interactions", "tokens", "cache read", "reasoning", "cost"],
                      rightAligned: [2, 3, 4, 5, 6])
        for r in answer.rows {
            t.add([label(r.name, r.contactID), r.phoneNumber ?? "",
                   Format.integer(r.interactions ?? 0), Format.integer(r.totalTokens ?? 0),
                   Format.integer(r.cachedReadTokens ?? 0), Format.integer(r.reasoningTokens ?? 0),
                   CostText.text(r.cost)])
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
