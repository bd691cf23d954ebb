/// How a replay sends its requests.
public struct ReplayPlan: Sendable, Equatable {
    /// When each request is meant to be sent.
    public enum Pace: Sendable, Equatable {
        /// The capture's own spacing, `speed` times faster (`--speed`).
        case recorded(speed: Double)
        /// Evenly at a fixed total rate (`--rate N/s`).
        case rate(perSecond: Double)
        /// Each slot sends again as soon as its answer comes (closed loop only).
        case asFastAsAnswered
    }

    /// Where latency is measured from.
    public enum Loop: Sendable, Equatable {
        /// From the intended send time: when every slot is busy, the wait for one counts,
        /// as it would for a real client (no coordinated omission).
        case open
        /// From the moment the request was actually sent, after a slot freed: the
        /// server's service time, blind to the backlog.
        case closed
    }

    public var pace: Pace
    public var loop: Loop
    /// Connections to the server (`--connections`); a captured connection always maps to
    /// the same one, so its requests keep their order.
    public var connections: Int
    /// Calls in flight at most on each connection (`--in-flight`).
    public var inFlight: Int

    public init(pace: Pace, loop: Loop, connections: Int = 8, inFlight: Int = 1) {
        self.pace = pace
        self.loop = loop
        self.connections = connections
        self.inFlight = inFlight
    }

    func validate() throws(ReplayPlanError) {
        guard connections > 0 else { throw .invalid("use at least 1 connection, not \(connections)") }
        guard inFlight > 0 else { throw .invalid("allow at least 1 call in flight, not \(inFlight)") }
        switch pace {
        case .recorded(let speed) where !(speed > 0 && speed.isFinite):
            throw .invalid("--speed must be a positive number, not \(speed)")
        case .rate(let r) where !(r > 0 && r.isFinite):
            throw .invalid("--rate must be a positive number of calls per second, not \(r)")
        case .asFastAsAnswered where loop == .open:
            throw .invalid("an open-loop replay needs a pace (--rate or --speed): it measures from the intended send time")
        default: break
        }
    }
}
