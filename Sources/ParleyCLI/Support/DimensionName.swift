import ArgumentParser

/// The dimensions of `Dimension` in parley_analytics.proto, as people type them.
public enum DimensionName: String, CaseIterable, ExpressibleByArgument, Sendable {
    case device, model, persona, contact, widget, outcome

    public var protoValue: Int {
        switch self {
        case .device: return 1
        case .model: return 2
        case .persona: return 3
        case .contact: return 4
        case .widget: return 5
        case .outcome: return 6
        }
    }
}
