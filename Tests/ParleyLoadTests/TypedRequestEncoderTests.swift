import NIOCore
import ParleyCore
@testable import ParleyLoad
import ParleyWire
import XCTest

/// Each traffic event becomes the request of its method, and its body decodes back to
/// the event's value; a duplicate delivery is byte for byte the original LogTurn.
final class TypedRequestEncoderTests: XCTestCase {
    func testEveryEventKindEncodesAsItsMethodAndDecodesBack() throws {
        let (events, _) = try TrafficGenerator(TrafficProfile(seed: 5, size: .turns(400), turnsPerDay: 400, contacts: 50)).generateAll()
        let encoder = TypedRequestEncoder()
        var seen: Set<Method> = []
        var turnBodies: [String: ByteBuffer] = [:]
        for (i, event) in events.enumerated() {
            let frame = try encoder.request(for: event, callID: UInt32(i + 1))
            XCTAssertEqual(frame.type, .request)
            XCTAssertEqual(frame.callID, UInt32(i + 1))
            let method = try XCTUnwrap(Method(rawValue: frame.code))
            seen.insert(method)
            switch event.kind {
            case .device(let d, _):
                XCTAssertEqual(method, .upsertDevice)
                XCTAssertEqual(Device(wire: try V1.Device(decoding: frame.body)), d)
            case .contact(let c):
                XCTAssertEqual(method, .upsertContact)
                XCTAssertEqual(Contact(wire: try V1.Contact(decoding: frame.body)), c)
            case .persona(let p):
                XCTAssertEqual(method, .upsertPersona)
                XCTAssertEqual(try V1.Persona(decoding: frame.body), p.wire)
            case .turn(let t):
                XCTAssertEqual(method, .logTurn)
                XCTAssertEqual(try V1.Turn(decoding: frame.body), t.wire)
                turnBodies[t.turnId] = frame.body
            case .duplicateTurn(let t):
                XCTAssertEqual(method, .logTurn)
                XCTAssertEqual(turnBodies[t.turnId], frame.body, "a duplicate repeats the original's bytes")
            case .lead(let l):
                XCTAssertEqual(method, .captureLead)
                XCTAssertEqual(Lead(wire: try V1.Lead(decoding: frame.body)), l)
            case .feedback(let f):
                XCTAssertEqual(method, .recordFeedback)
                XCTAssertEqual(Feedback(wire: try V1.Feedback(decoding: frame.body)), f)
            }
        }
        XCTAssertEqual(seen, [.upsertDevice, .upsertContact, .upsertPersona, .logTurn, .captureLead, .recordFeedback])
    }
}
