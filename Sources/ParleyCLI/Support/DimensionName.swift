import ArgumentParser
import ParleyWire

/// The dimensions of `Dimension` in parley_analytics.proto, as people type them.
public enum DimensionName: String, CaseIterable, ExpressibleByArgument, Sendable {
    case device, model, persona, contact, widget, outcome

    public var wire: V1.Dimension {
        switch self {
        case .device: return .device
        case .model: return .model
        case .persona: return .persona
        case .contact: return .contact
        case .widget: return .widget
        case .outcome: return .sessionOutcome
        }
    }
}
