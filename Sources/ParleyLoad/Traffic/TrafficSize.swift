/// How much traffic to generate.
public enum TrafficSize: Sendable, Equatable {
    /// Exactly this many distinct turns (duplicate deliveries come on top).
    case turns(Int)
    /// This many whole days from the profile's start, at `TrafficProfile.turnsPerDay`.
    case days(Int)
}
