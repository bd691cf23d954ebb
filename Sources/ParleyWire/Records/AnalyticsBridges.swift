import ParleyCore

/// The analytics protos (parley_analytics.proto) <-> the usage query and the named
/// reports. Windows arrive already resolved (the server knows "now"). The decoder has
/// already rejected enum numbers the protos do not define.
extension Dimension {
    public init(wire d: V1.Dimension) {
        // safe: the raw values of both enums are the proto's numbers (pinned by BridgeTests).
        self = Dimension(rawValue: d.rawValue) ?? .all
    }

    public var wire: V1.Dimension { V1.Dimension(rawValue: rawValue) ?? .dimensionNone }

    /// repeated DimensionFilter -> values allowed per dimension (several filters on one
    /// dimension allow the union of their values).
    public static func filters(_ filters: [V1.DimensionFilter]) -> [Dimension: Set<String>] {
        var out: [Dimension: Set<String>] = [:]
        for filter in filters {
            out[Dimension(wire: filter.dimension ?? .dimensionNone), default: []].formUnion(filter.values)
        }
        return out
    }
}

extension Granularity {
    public init(wire g: V1.Granularity) { self = Granularity(rawValue: g.rawValue) ?? .none }
    public var wire: V1.Granularity { V1.Granularity(rawValue: rawValue) ?? .granularityNone }
}

extension Measure {
    public init(wire m: V1.Measure) { self = Measure(rawValue: m.rawValue) ?? .count }
    public var wire: V1.Measure { V1.Measure(rawValue: rawValue) ?? .measureCount }
}

extension UsageQuery {
    /// A UsageRequest with its window resolved by the caller.
    public init(wire m: V1.UsageRequest, window: TimeWindow) {
        self.init(window: window, timeZone: m.timeZone ?? "", granularity: Granularity(wire: m.granularity ?? .granularityNone),
                  groupBy: m.groupBy.map(Dimension.init(wire:)), filters: Dimension.filters(m.filters),
                  orderBy: Measure(wire: m.orderBy ?? .measureCount), ascending: m.ascending ?? false, top: Int(m.top ?? 0))
    }
}

extension UsageRow {
    public var wire: V1.UsageRow {
        V1.UsageRow(
            bucketStartMs: bucketStart, bucketLabel: bucketLabel.nonEmpty, group: group, count: count,
            inputTokens: tokens.input, outputTokens: tokens.output, cachedReadTokens: tokens.cachedRead,
            cacheWriteTokens: tokens.cacheWrite, totalTokens: tokens.total, avgTokens: avgTokens, cost: cost.wire,
            avgResponseTimeMs: avgResponseTime, p50ResponseTimeMs: p50ResponseTime, p90ResponseTimeMs: p90ResponseTime,
            p99ResponseTimeMs: p99ResponseTime, lastActivityMs: lastActivity, reasoningTokens: tokens.reasoning)
    }
}

extension DeviceUsage {
    public var wire: V1.DeviceUsage {
        V1.DeviceUsage(deviceID: deviceId, deviceName: deviceName, phoneNumber: phoneNumber.nonEmpty,
                       conversations: conversations, totalTokens: totalTokens, avgTokens: avgTokens,
                       lastConversationMs: lastConversation, cachedReadTokens: cachedReadTokens,
                       cacheWriteTokens: cacheWriteTokens, reasoningTokens: reasoningTokens)
    }
}

extension ModelCost {
    public var wire: V1.ModelCost {
        V1.ModelCost(model: model, conversations: conversations, inputTokens: inputTokens, outputTokens: outputTokens,
                     totalTokens: totalTokens, cost: cost.wire, priced: priced, cachedReadTokens: cachedReadTokens,
                     cacheWriteTokens: cacheWriteTokens, reasoningTokens: reasoningTokens)
    }
}

extension DailyModelTokens {
    public var wire: V1.DailyModelTokens {
        V1.DailyModelTokens(date: date, model: model, tokens: tokens, conversations: conversations, avgTokens: avgTokens,
                            cachedReadTokens: cachedReadTokens, cacheWriteTokens: cacheWriteTokens, reasoningTokens: reasoningTokens)
    }
}

extension PersonaUsage {
    public var wire: V1.PersonaUsage {
        V1.PersonaUsage(personaID: personaId, personaName: personaName, model: model, conversations: conversations,
                        avgTokens: avgTokens, totalTokens: totalTokens, cachedReadTokens: cachedReadTokens,
                        cacheWriteTokens: cacheWriteTokens, reasoningTokens: reasoningTokens)
    }
}

extension ContactCost {
    public var wire: V1.ContactCost {
        V1.ContactCost(contactID: contactId, name: name, phoneNumber: phoneNumber.nonEmpty, interactions: interactions,
                       totalTokens: totalTokens, cost: cost.wire, cachedReadTokens: cachedReadTokens,
                       cacheWriteTokens: cacheWriteTokens, reasoningTokens: reasoningTokens)
    }
}

extension HourUsage {
    public var wire: V1.HourUsage {
        V1.HourUsage(hour: UInt32(clamping: hour), conversations: conversations, avgTokens: avgTokens,
                     cachedReadTokens: cachedReadTokens, cacheWriteTokens: cacheWriteTokens, reasoningTokens: reasoningTokens)
    }
}

extension ThreadEntry {
    public var wire: V1.ThreadEntry {
        V1.ThreadEntry(message: message?.wire, reply: reply?.wire, archived: archived)
    }
}

extension SessionsReport {
    public var wire: V1.SessionsReport {
        V1.SessionsReport(
            sessions: sessions, sessionsWithLead: sessionsWithLead, totalMessages: totalMessages, totalTokens: totalTokens,
            avgDurationMs: avgDuration, avgResponseTimeMs: avgResponseTime, avgSatisfaction: avgSatisfaction,
            ratedSessions: ratedSessions, rows: rows.map(\.wire))
    }
}

extension ConversionReport {
    public var wire: V1.ConversionReport {
        V1.ConversionReport(
            sessions: sessions, sessionsWithLead: sessionsWithLead, leadRate: leadRate, avgTurnsToLead: avgTurnsToLead,
            avgTimeToLeadMs: avgTimeToLead,
            personas: personas.map { p in
                V1.PersonaConversion(personaID: p.personaId, personaName: p.personaName, sessions: p.sessions,
                                     leads: p.leads, cost: p.cost.wire, costPerLead: p.costPerLead?.wire)
            })
    }
}
