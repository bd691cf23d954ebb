import Foundation
import Logging
import NIOConcurrencyHelpers
import ParleyServer
import ParleyWire
import XCTest
import ParleyTestSupport

/// A failed or slow call is one JSON line with its call id, method, peer, status and
/// duration, and never the request's body or the API key.
final class CallLogTests: XCTestCase {
    func testSlowAndFailedCallsAreOneJSONLineWithoutBodyOrKey() async throws {
        let lines = NIOLockedValueBox<[Data]>([])
        let sink = LineSink { data in lines.withLockedValue { $0.append(data) } }
        var logger = Logger(label: "test-server") { JSONLogHandler(label: $0, sink: sink) }
        logger.logLevel = .notice
        let services = TestServices()
        let harness = try await ServerHarness.start(services: services.registry, logger: logger) { $0.slowCallMs = 50 }
        let raw = try harness.raw()
        XCTAssertEqual(try raw.hello(key: harness.adminKey).code, 0)
        try raw.request(Method.getTurn.id, callID: 7, body: turnKey("secret-body-fast", delayMs: 0))
        try raw.request(Method.getTurn.id, callID: 8, body: turnKey("secret-body-slow", delayMs: 120))
        try raw.request(Method.backup.id, callID: 9)
        var answered = 0
        while answered < 3 {
            guard let frame = try? raw.readFrame() else { break }
            if frame.type == .response { answered += 1 }
        }
        await harness.stop()

        let objects = lines.withLockedValue { $0 }.compactMap { line -> [String: Any]? in
            XCTAssertEqual(line.last, UInt8(ascii: "\n"))
            XCTAssertEqual(line.filter { $0 == UInt8(ascii: "\n") }.count, 1, "one line per record")
            return try? JSONSerialization.jsonObject(with: line) as? [String: Any]
        }
        let calls = objects.filter { $0["call_id"] != nil }
        let byID = Dictionary(calls.map { ("\($0["call_id"] ?? "")", $0) }, uniquingKeysWith: { first, _ in first })
        XCTAssertNil(byID["7"], "a fast successful call is not logged")
        let slow = try XCTUnwrap(byID["8"])
        XCTAssertEqual(slow["message"] as? String, "slow call")
        XCTAssertEqual(slow["method"] as? String, "GetTurn")
        XCTAssertEqual(slow["status"] as? String, "OK")
        XCTAssertGreaterThanOrEqual(Double(slow["duration_ms"] as? String ?? "") ?? 0, 100)
        XCTAssertTrue((slow["peer"] as? String ?? "").hasPrefix("127.0.0.1:"), "\(slow)")
        let failed = try XCTUnwrap(byID["9"])
        XCTAssertEqual(failed["message"] as? String, "failed call")
        XCTAssertEqual(failed["status"] as? String, "INTERNAL")
        let everything = lines.withLockedValue { $0 }.map { String(decoding: $0, as: UTF8.self) }.joined()
        XCTAssertFalse(everything.contains("secret-body"), "a request body reached the log")
        XCTAssertFalse(everything.contains(harness.adminKey), "the API key reached the log")
    }

    /// Row "a failure inside the server" of the bad-input table: the client sees 13 with a
    /// reference id only, and the log has the detail under the same id.
    func testInternalErrorGivesAReferenceTheLogHasWithTheDetail() async throws {
        let lines = NIOLockedValueBox<[Data]>([])
        let sink = LineSink { data in lines.withLockedValue { $0.append(data) } }
        var logger = Logger(label: "test-server") { JSONLogHandler(label: $0, sink: sink) }
        logger.logLevel = .notice
        let harness = try await ServerHarness.start(services: TestServices().registry, logger: logger)
        let client = harness.client()
        var shown = ""
        do {
            _ = try await client.call(ParleyRPC.backup, V1.BackupRequest())
            XCTFail("expected INTERNAL")
        } catch let error as RPCError {
            XCTAssertEqual(error.status, .internal)
            shown = error.message
        }
        await client.close()
        await harness.stop()

        XCTAssertFalse(shown.contains("secret.key"), "the detail reached the client: \(shown)")
        let reference = try XCTUnwrap(shown.split(separator: " ").last.map(String.init), shown)
        XCTAssertTrue(shown.contains("reference \(reference)"), shown)
        let objects = lines.withLockedValue { $0 }.compactMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] }
        let logged = try XCTUnwrap(objects.first { $0["message"] as? String == "internal error" }, "\(objects)")
        XCTAssertEqual(logged["reference"] as? String, reference)
        XCTAssertTrue((logged["detail"] as? String ?? "").contains("secret.key"), "\(logged)")
        XCTAssertEqual(logged["method"] as? String, "Backup")
    }
}
