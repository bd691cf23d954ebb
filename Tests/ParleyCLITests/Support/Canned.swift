import ParleyWire
import XCTest

/// Builds protobuf answers by hand, as the analytics RPCs would send them, so views can
/// be tested before (and independently of) the server side.
enum Canned {
    static func message(_ type: String, _ fields: [String: ProtoValue]) throws -> ProtoMessage {
        let t = try XCTUnwrap(MessageType.named(type), "no message type \(type)")
        var m = ProtoMessage(t)
        for (name, value) in fields {
            XCTAssertNotNil(t.field(named: name), "\(type) has no field \(name)")
            m[name] = value
        }
        return m
    }

    static func money(_ nanos: Int64, unpriced: Int64 = 0) throws -> ProtoValue {
        var fields: [String: ProtoValue] = ["nanos": .int(nanos)]
        if unpriced > 0 { fields["unpriced_tokens"] = .int(unpriced) }
        return .message(try message("Money", fields))
    }

    static func list(_ messages: [ProtoMessage]) -> ProtoValue { .list(messages.map { .message($0) }) }
}
