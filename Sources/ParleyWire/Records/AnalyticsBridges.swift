import ParleyCore

/// The analytics protos (parley_analytics.proto) <-> the usage query and the named
/// reports. Windows arrive already resolved (the server knows "now").
public enum AnalyticsTypes {
    // safe (all): declared in Protos/parley_analytics.proto; BridgeTests round-trips every method's types.
    public static let usageRow = MessageType.named("parley.v1.UsageRow")!
    public static let deviceUsage = MessageType.named("parley.v1.DeviceUsage")!
    public static let modelCost = MessageType.named("parley.v1.ModelCost")!
    public static let dailyModelTokens = MessageType.named("parley.v1.DailyModelTokens")!
    public static let personaUsage = MessageType.named("parley.v1.PersonaUsage")!
    public static let contactCost = MessageType.named("parley.v1.ContactCost")!
    public static let hourUsage = MessageType.named("parley.v1.HourUsage")!
    public static let threadEntry = MessageType.named("parley.v1.ThreadEntry")!
    public static let personaConversion = MessageType.named("parley.v1.PersonaConversion")!
}

extension Dimension {
    /// A proto enum number as a dimension, or a violation naming `field`.
    static func parse(_ raw: Int64, field: String) throws(ValidationError) -> Dimension {
        guard let value = Int32(exactly: raw), let dimension = Dimension(rawValue: value) else {
            throw ValidationError([FieldViolation(field: field, reason: "\(raw) is not a dimension; use 0 NONE, 1 DEVICE, 2 MODEL, 3 PERSONA, 4 CONTACT, 5 WIDGET or 6 SESSION_OUTCOME")])
        }
        return dimension
    }

    /// repeated DimensionFilter -> values allowed per dimension (several filters on one
    /// dimension allow the union of their values).
    public static func filters(_ messages: [ProtoMessage], field: String) throws(ValidationError) -> [Dimension: Set<String>] {
        var filters: [Dimension: Set<String>] = [:]
        for (index, filter) in messages.enumerated() {
            let dimension = try parse(filter.int("dimension") ?? 0, field: "\(field)[\(index)].dimension")
            filters[dimension, default: []].formUnion(filter.strings("values"))
        }
        return filters
    }
}

extension UsageQuery {
    /// A UsageRequest with its window resolved by the caller.
    public init(proto m: ProtoMessage, window: TimeWindow) throws(ValidationError) {
        let granularityRaw = m.int("granularity") ?? 0
        guard let granularity = Int32(exactly: granularityRaw).flatMap(Granularity.init(rawValue:)) else {
            throw ValidationError([FieldViolation(field: "granularity", reason: "\(granularityRaw) is not a granularity; use 0 NONE, 1 HOUR, 2 DAY, 3 WEEK, 4 MONTH or 5 HOUR_OF_DAY")])
        }
        let measureRaw = m.int("order_by") ?? 0
        guard let measure = Int32(exactly: measureRaw).flatMap(Measure.init(rawValue:)) else {
            throw ValidationError([FieldViolation(field: "order_by", reason: "\(measureRaw) is not a measure; use 0 COUNT to 6 AVG_RESPONSE_TIME")])
        }
        var groupBy: [Dimension] = []
        for (index, raw) in m.list("group_by").enumerated() {
            guard case .int(let value) = raw else { continue }
            groupBy.append(try Dimension.parse(value, field: "group_by[\(index)]"))
        }
        self.init(window: window, timeZone: m.string("time_zone") ?? "", granularity: granularity, groupBy: groupBy,
                  filters: try Dimension.filters(m.messages("filters"), field: "filters"), orderBy: measure,
                  ascending: m.bool("ascending") ?? false, top: Int(m.uint("top") ?? 0))
    }
}

extension UsageRow {
    public var proto: ProtoMessage {
        var m = ProtoMessage(AnalyticsTypes.usageRow)
        m.set("bucket_start_ms", bucketStart)
        m.setNonEmpty("bucket_label", bucketLabel)
        m.set("group", strings: group)
        m.set("count", count)
        m.set("input_tokens", tokens.input)
        m.set("output_tokens", tokens.output)
        m.set("cached_read_tokens", tokens.cachedRead)
        m.set("cache_write_tokens", tokens.cacheWrite)
        m.set("total_tokens", tokens.total)
        m.set("avg_tokens", avgTokens)
        m.set("cost", cost.proto)
        m.set("avg_response_time_ms", avgResponseTime)
        m.set("p50_response_time_ms", p50ResponseTime)
        m.set("p90_response_time_ms", p90ResponseTime)
        m.set("p99_response_time_ms", p99ResponseTime)
        m.set("last_activity_ms", lastActivity)
        return m
    }
}

extension DeviceUsage {
    public var proto: ProtoMessage {
        var m = ProtoMessage(AnalyticsTypes.deviceUsage)
        m.set("device_id", deviceId)
        m.set("device_name", deviceName)
        m.setNonEmpty("phone_number", phoneNumber)
        m.set("conversations", conversations)
        m.set("total_tokens", totalTokens)
        m.set("avg_tokens", avgTokens)
        m.set("last_conversation_ms", lastConversation)
        return m
    }
}

extension ModelCost {
    public var proto: ProtoMessage {
        var m = ProtoMessage(AnalyticsTypes.modelCost)
        m.set("model", model)
        m.set("conversations", conversations)
        m.set("input_tokens", inputTokens)
        m.set("output_tokens", outputTokens)
        m.set("total_tokens", totalTokens)
        m.set("cost", cost.proto)
        m.set("priced", priced)
        return m
    }
}

extension DailyModelTokens {
    public var proto: ProtoMessage {
        var m = ProtoMessage(AnalyticsTypes.dailyModelTokens)
        m.set("date", date)
        m.set("model", model)
        m.set("tokens", tokens)
        m.set("conversations", conversations)
        m.set("avg_tokens", avgTokens)
        return m
    }
}

extension PersonaUsage {
    public var proto: ProtoMessage {
        var m = ProtoMessage(AnalyticsTypes.personaUsage)
        m.set("persona_id", personaId)
        m.set("persona_name", personaName)
        m.set("model", model)
        m.set("conversations", conversations)
        m.set("avg_tokens", avgTokens)
        m.set("total_tokens", totalTokens)
        return m
    }
}

extension ContactCost {
    public var proto: ProtoMessage {
        var m = ProtoMessage(AnalyticsTypes.contactCost)
        m.set("contact_id", contactId)
        m.set("name", name)
        m.setNonEmpty("phone_number", phoneNumber)
        m.set("interactions", interactions)
        m.set("total_tokens", totalTokens)
        m.set("cost", cost.proto)
        return m
    }
}

extension HourUsage {
    public var proto: ProtoMessage {
        var m = ProtoMessage(AnalyticsTypes.hourUsage)
        m.set("hour", UInt32(clamping: hour))
        m.set("conversations", conversations)
        m.set("avg_tokens", avgTokens)
        return m
    }
}

extension ThreadEntry {
    public var proto: ProtoMessage {
        var m = ProtoMessage(AnalyticsTypes.threadEntry)
        m.set("message", message?.proto)
        m.set("reply", reply?.proto)
        m.set("archived", archived)
        return m
    }
}

extension SessionsReport {
    public func proto(_ type: MessageType) -> ProtoMessage {
        var m = ProtoMessage(type)
        m.set("sessions", sessions)
        m.set("sessions_with_lead", sessionsWithLead)
        m.set("total_messages", totalMessages)
        m.set("total_tokens", totalTokens)
        m.set("avg_duration_ms", avgDuration)
        m.set("avg_response_time_ms", avgResponseTime)
        m.set("avg_satisfaction", avgSatisfaction)
        m.set("rated_sessions", ratedSessions)
        m.set("rows", messages: rows.map(\.proto))
        return m
    }
}

extension ConversionReport {
    public func proto(_ type: MessageType) -> ProtoMessage {
        var m = ProtoMessage(type)
        m.set("sessions", sessions)
        m.set("sessions_with_lead", sessionsWithLead)
        m.set("lead_rate", leadRate)
        m.set("avg_turns_to_lead", avgTurnsToLead)
        m.set("avg_time_to_lead_ms", avgTimeToLead)
        m.set("personas", messages: personas.map { p in
            var row = ProtoMessage(AnalyticsTypes.personaConversion)
            row.set("persona_id", p.personaId)
            row.set("persona_name", p.personaName)
            row.set("sessions", p.sessions)
            row.set("leads", p.leads)
            row.set("cost", p.cost.proto)
            row.set("cost_per_lead", p.costPerLead?.proto)
            return row
        })
        return m
    }
}
