import Foundation
import NIOConcurrencyHelpers
import ParleyClient
import ParleyCore
import ParleyWire
import XCTest

/// kill -9 of parleyd while 32 clients write, 30 times over: after each restart every
/// turn acknowledged so far is there, and at the end session metrics equal a rebuild
/// from the turns and the storage checker (data file and commit log) finds it clean.
/// Then SIGTERM stops it with exit status 0.
final class KillRecoveryTests: XCTestCase {
    func testKill9DuringIngestionLosesNoAcknowledgedTurn() async throws {
        let dir = NSTemporaryDirectory() + "parley-kill-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let acked = NIOLockedValueBox([String]())
        var sessions = Set<String>()
        let rounds = 30
        for round in 0..<rounds {
            let server = try ParleydProcess(dataDirectory: dir)
            let port = server.port
            let key = server.adminKey
            let writers = Task {
                await withTaskGroup(of: Void.self) { group in
                    for c in 0..<32 {
                        group.addTask {
                            var config = ClientConfiguration(host: "127.0.0.1", port: port, apiKey: key, clientName: "kill-test")
                            config.retriesForUnacceptedCalls = 0
                            config.defaultTimeoutMs = 5_000
                            let client = ParleyClient(configuration: config)
                            for n in 0..<100_000 {
                                let t = Turn(turnId: "r\(round)-c\(c)-\(n)", organizationId: "acme", sessionId: "r\(round)-s\(n % 5)",
                                             model: "gpt-4o", userMessage: "q\(n)", aiResponse: "a\(n)",
                                             tokens: TokenCounts(input: Int64(n % 50), output: 7), userMessageAt: 1_763_000_000_000 + Int64(n),
                                             repliedAt: 1_763_000_000_500 + Int64(n))
                                do {
                                    _ = try await client.call(ParleyRPC.logTurn, t.wire)
                                    acked.withLockedValue { $0.append(t.turnId) }
                                } catch {
                                    break
                                }
                            }
                            await client.close()
                        }
                    }
                }
            }
            for s in 0..<5 { sessions.insert("r\(round)-s\(s)") }
            try await Task.sleep(nanoseconds: UInt64.random(in: 150_000_000...450_000_000))
            server.kill9()
            await writers.value
        }

        let server = try ParleydProcess(dataDirectory: dir)
        let client = ParleyClient(configuration: ClientConfiguration(host: "127.0.0.1", port: server.port, apiKey: server.adminKey))
        let ids = acked.withLockedValue { $0 }
        print("KillRecoveryTests: \(ids.count) turns acknowledged across \(rounds) kills")
        XCTAssertGreaterThan(ids.count, 50, "the clients wrote something before each kill")
        for id in ids {
            var k = V1.TurnKey()
            k.organizationID = "acme"
            k.turnID = id
            let t = try await client.call(ParleyRPC.getTurn, k)
            XCTAssertEqual(t.turnID, id)
        }
        var before: [String: V1.SessionMetrics] = [:]
        for s in sessions.sorted() {
            if let m = try? await MetricsConsistencyTests.metrics(client, s) { before[s] = MetricsConsistencyTests.comparable(m) }
        }
        for try await _ in client.stream(ParleyRPC.backfillSessionMetrics, V1.BackfillRequest()) {}
        for (s, m) in before {
            let rebuilt = try await MetricsConsistencyTests.metrics(client, s)
            XCTAssertEqual(MetricsConsistencyTests.comparable(rebuilt), m, "session \(s) after restart equals its rebuild")
        }
        var final: V1.Progress?
        for try await p in client.stream(ParleyRPC.check, V1.Empty()) { final = p }
        XCTAssertEqual(final?.finished, true)
        XCTAssertTrue(final?.message?.hasPrefix("clean") == true, final?.message ?? "no check result")
        await client.close()
        XCTAssertEqual(server.terminate(), 0, "SIGTERM ends parleyd with exit status 0")
    }
}
