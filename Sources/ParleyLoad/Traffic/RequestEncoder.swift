import ParleyWire

/// Turns a traffic event into the REQUEST frame that delivers it (UpsertDevice for a
/// device, LogTurn for a turn or its duplicate, CaptureLead, RecordFeedback, ...).
/// The CLI implements it over the typed messages; tests use a stand-in, since the
/// capture and replay machinery only moves frames.
public protocol RequestEncoder: Sendable {
    func request(for event: TrafficEvent, callID: UInt32) throws -> Frame
}
