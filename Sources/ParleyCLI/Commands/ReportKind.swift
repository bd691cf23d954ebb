import ArgumentParser
import ParleyClient
import ParleyWire

/// The named reports: their RPC, their view, and their help.
public enum ReportKind: String, CaseIterable, ExpressibleByArgument, Sendable {
    case devices, models, daily, personas, contacts, hourly, sessions, conversion

    /// Asks the report's RPC and binds the answer to the report's view.
    public func answer(_ request: V1.ReportRequest, from client: ParleyClient) async throws -> ShownAnswer {
        switch self {
        case .devices: return ReportViews.devices.shown(try await client.reportDevices(request))
        case .models: return ReportViews.models.shown(try await client.reportModels(request))
        case .daily: return TrendViews.daily.shown(try await client.reportDaily(request))
        case .personas: return ReportViews.personas.shown(try await client.reportPersonas(request))
        case .contacts: return ReportViews.contacts.shown(try await client.reportContacts(request))
        case .hourly: return TrendViews.hourly.shown(try await client.reportHourly(request))
        case .sessions: return SessionViews.sessions.shown(try await client.reportSessions(request))
        case .conversion: return SessionViews.conversion.shown(try await client.reportConversion(request))
        }
    }

    var configuration: CommandConfiguration {
        let (abstract, example): (String, String) = {
            switch self {
            case .devices: return ("Conversations and tokens by WhatsApp device.", "parley report devices --since 7d")
            case .models: return ("Tokens and cost by model; unpriced tokens are flagged, never shown as $0.",
                                  "parley report models --since 2026-11-01 --until 2026-12-01")
            case .daily: return ("Tokens by local day and model, with a sparkline per model.",
                                 "parley report daily --since 30d --tz America/New_York --model gpt-4o")
            case .personas: return ("Conversations and tokens by persona and model.", "parley report personas --since 30d")
            case .contacts: return ("Interactions, tokens and cost by contact.", "parley report contacts --top 20")
            case .hourly: return ("Conversations by local hour of day, as a 24-bar histogram.",
                                  "parley report hourly --since 14d --tz Europe/Berlin")
            case .sessions: return ("Session totals and the newest sessions.", "parley report sessions --since 7d --top 10")
            case .conversion: return ("Lead rate, time to lead and cost per lead by persona.", "parley report conversion --since 30d")
            }
        }()
        return CommandConfiguration(commandName: rawValue, abstract: abstract, discussion: "Example: \(example)")
    }
}
