import XCTest
@testable import ParleyCore

final class RecordIntakeTests: XCTestCase {
    let intake = RecordIntake()

    func testLeadCaptureTimeDefaultsToReceipt() throws {
        let lead = try intake.accept(Lead(organizationId: "o", sessionId: "s", name: "Ann"), receivedAt: 42)
        XCTAssertEqual(lead.capturedAt, 42)
    }

    func testFeedbackScoreRange() {
        XCTAssertThrowsError(try intake.accept(Feedback(organizationId: "o", sessionId: "s", score: 0), receivedAt: 0)) { error in
            XCTAssertEqual((error as? ValidationError)?.violations.map(\.field), ["score"])
        }
        XCTAssertNoThrow(try intake.accept(Feedback(organizationId: "o", sessionId: "s", score: 5), receivedAt: 0))
    }

    func testMessageNeedsDirectionAndIds() {
        XCTAssertThrowsError(try intake.accept(Message(), receivedAt: 0)) { error in
            XCTAssertEqual((error as? ValidationError)?.violations.map(\.field), ["message_id", "organization_id", "direction"])
        }
    }

    func testDirectoryEntries() {
        XCTAssertNoThrow(try intake.accept(Device(organizationId: "o", deviceId: "d", name: "Front desk", phoneNumber: "+1 555")))
        XCTAssertThrowsError(try intake.accept(Persona(organizationId: "o", personaId: "bad id")))
        XCTAssertThrowsError(try intake.accept(Widget(organizationId: "o", widgetId: "w", userId: "u/1")))
        XCTAssertThrowsError(try intake.accept(Contact(organizationId: "", contactId: "c")))
    }

    func testBatchPrefix() {
        let error = ValidationError([FieldViolation(field: "tokens.input", reason: "r")]).prefixed("turns[3].")
        XCTAssertEqual(error.violations.first?.field, "turns[3].tokens.input")
    }
}
