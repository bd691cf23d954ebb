import Foundation
import Logging
@testable import ParleyCLI
import ParleyClient
import ParleyLoad
import ParleyServer
import ParleyWire
import XCTest

/// Open-loop accounting over real connections: a server made slow on purpose (LogTurn
/// takes 4 ms, the replay sends one every 2 ms on one connection with one call in
/// flight) builds a backlog. Open loop counts each call from its intended send time, so
/// its p99 holds the queueing delay; closed loop at the same rate reports the service time.
final class LoadLatencyTests: XCTestCase {
    static let serviceTime: Duration = .milliseconds(4)

    func testOpenLoopIncludesTheQueueingDelayThatClosedLoopHides() async throws {
        let dir = NSTemporaryDirectory() + "parley-slow-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var config = ServerConfiguration(dataDirectory: dir)
        config.port = 0
        config.eventLoopThreads = 1
        config.shutdownGraceMs = 2_000
        var services = ServiceRegistry()
        services.register(ParleyRPC.logTurn) { _, _ in
            try await Task.sleep(for: Self.serviceTime)
            return V1.LogTurnResponse(outcome: .stored)
        }
        var logger = Logger(label: "slow-server")
        logger.logLevel = .warning
        let keys = try KeyStore(dataDirectory: dir)
        let server = ParleyServer(configuration: config, services: services, keys: keys, logger: logger)
        let port = try await server.start()
        let key = try String(contentsOfFile: dir + "/" + KeyStore.keyFileName, encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)

        let turn = try V1.Turn(turnID: "t", organizationID: "o", sessionID: "s").encoded()
        let records = (0..<150).map { i in
            CaptureRecord(arrivalMicros: UInt64(i) * 2_000, connection: 0,
                          frame: Frame(type: .request, callID: 1, code: Method.logTurn.id, body: turn))
        }
        func replay(_ loop: ReplayPlan.Loop) async throws -> ReplaySummary {
            let sender = ClientCallSender(clients: [ParleyClient(configuration: ClientConfiguration(port: port, apiKey: key))])
            try await sender.connectAll()
            let summary = try await ReplayEngine(plan: ReplayPlan(pace: .rate(perSecond: 500), loop: loop, connections: 1, inFlight: 1),
                                                 sender: sender).run(records)
            await sender.closeAll()
            return summary
        }
        let open = try await replay(.open)
        let closed = try await replay(.closed)
        await server.shutdownGracefully()

        XCTAssertEqual(open.succeeded, 150)
        XCTAssertEqual(closed.succeeded, 150)
        // 150 calls of at least 4 ms each need 600 ms; the schedule asked for them in
        // 300 ms, so the last ones wait about 300 ms: open loop must show that.
        XCTAssertGreaterThan(open.latency.p99Ms, 200, "\(open.latency)")
        XCTAssertGreaterThanOrEqual(closed.latency.p50Ms, 4, "\(closed.latency)")
        XCTAssertLessThan(closed.latency.p99Ms, open.latency.p99Ms / 4, "closed \(closed.latency), open \(open.latency)")
        XCTAssertLessThan(open.achievedRate, 300, "a 4 ms server cannot answer 500 calls/s on one slot")
    }
}
