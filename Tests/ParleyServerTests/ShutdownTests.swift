import NIOCore
import ParleyWire
import XCTest
import ParleyTestSupport

final class ShutdownTests: XCTestCase {
    /// Every call the server accepted before GOAWAY is answered before the close.
    func testGracefulShutdownAnswersEveryAcceptedCall() async throws {
        let services = TestServices()
        let harness = try await ServerHarness.start(services: services.registry)
        let raw = try harness.raw()
        XCTAssertEqual(try raw.hello(key: harness.adminKey).code, 0)
        for id in 1...10 { try raw.request(Method.getTurn.id, callID: UInt32(id), body: turnKey("t\(id)", delayMs: 100 + id * 10)) }
        try await Task.sleep(nanoseconds: 50_000_000)
        let shutdown = Task { await harness.server.shutdownGracefully() }

        var answered: [UInt32: UInt16] = [:]
        var goAway: Frame?
        while true {
            let f: Frame
            do { f = try raw.readFrame() } catch { break }
            if f.type == .goAway { goAway = f } else if f.type == .response { answered[f.callID] = f.code }
        }
        await shutdown.value
        XCTAssertEqual(goAway?.code, StatusCode.unavailable.rawValue)
        XCTAssertEqual(goAway?.callID, 10, "GOAWAY names the highest accepted call")
        XCTAssertEqual(Set(answered.keys), Set(1...10))
        XCTAssertTrue(answered.values.allSatisfy { $0 == 0 }, "\(answered)")
        // No new connections after shutdown.
        XCTAssertThrowsError(try harness.raw())
        try? FileManager.default.removeItem(atPath: harness.dataDirectory)
    }
}
