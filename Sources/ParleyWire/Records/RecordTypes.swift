/// Message types of the records and analytics protos, looked up once.
public enum RecordTypes {
    // safe (all): declared in Protos/; BridgeTests round-trips every method's types.
    public static let turn = MessageType.named("parley.v1.Turn")!
    public static let tokenCounts = MessageType.named("parley.v1.TokenCounts")!
    public static let message = MessageType.named("parley.v1.Message")!
    public static let device = MessageType.named("parley.v1.Device")!
    public static let contact = MessageType.named("parley.v1.Contact")!
    public static let persona = MessageType.named("parley.v1.Persona")!
    public static let widget = MessageType.named("parley.v1.Widget")!
    public static let lead = MessageType.named("parley.v1.Lead")!
    public static let feedback = MessageType.named("parley.v1.Feedback")!
    public static let sessionMetrics = MessageType.named("parley.v1.SessionMetrics")!
    public static let price = MessageType.named("parley.v1.Price")!
    public static let money = MessageType.named("parley.v1.Money")!
    public static let timeWindow = MessageType.named("parley.v1.TimeWindow")!
    public static let progress = MessageType.named("parley.v1.Progress")!
}
