import Foundation
@testable import ParleyCLI
import ParleyLoad
import ParleyWire
import XCTest
import ParleyTestSupport

/// parley-load replays a recording: every good turn is stored once, a second replay
/// stores nothing new, rows that are not turns are reported, and pacing follows --rate.
final class LoadReplayTests: XCTestCase {
    func testReplayStoresEveryTurnOnceAndReportsBadRows() async throws {
        let server = try await ServerHarness.cliServer()
        let path = NSTemporaryDirectory() + "parley-load-\(UUID().uuidString).jsonl"
        defer { try? FileManager.default.removeItem(atPath: path) }
        var lines: [String] = []
        for i in 0..<30 {
            lines.append(#"{"id":"rt-\#(i)","organization_id":"acme","session_id":"rs-\#(i % 4)","model":"gpt-4o","user_message":"q","ai_response":"a","input_tokens":\#(10 + i),"output_tokens":5,"created_at":"2026-11-20 10:\#(String(format: "%02d", i)):00"}"#)
        }
        lines.insert(#"{"id":"rt-bad","organization_id":"acme","session_id":"s","input_tokens":"many"}"#, at: 7)
        lines.insert("not json", at: 12)
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)

        func replay(_ extra: [String]) async -> (Int32, Terminal) {
            let terminal = Terminal.capturing()
            let code = await CommandRunner.run(ParleyLoadCommand.self, arguments: [path, "--addr", server.address, "--key", server.adminKey,
                                                                                   "--connections", "4"] + extra, terminal: terminal)
            return (code, terminal)
        }
        let (code, first) = await replay(["--rate", "300"])
        XCTAssertEqual(code, 0, first.errors)
        XCTAssertTrue(first.output.contains("30 calls in"), first.output)
        XCTAssertTrue(first.output.contains("30 ok, 0 failed"), first.output)
        XCTAssertTrue(first.output.contains("turns: 30 stored, 0 duplicates"), first.output)
        XCTAssertTrue(first.errors.contains("line 8: input_tokens"), first.errors)
        XCTAssertTrue(first.errors.contains("line 13:"), first.errors)
        // 30 turns at 300/s cannot take less than about 0.1 s.
        let seconds = Double(first.output.split(separator: " ")[3]) ?? 0
        XCTAssertTrue(first.output.contains("open loop, from the intended send time"), first.output)
        XCTAssertGreaterThanOrEqual(seconds, 0.09, first.output)

        let (again, second) = await replay([])
        XCTAssertEqual(again, 0, second.errors)
        XCTAssertTrue(second.output.contains("turns: 0 stored, 30 duplicates"), second.output)

        let client = server.client()
        let count = try await client.countSessionMetrics(V1.ListSessionMetricsRequest(organizationID: "acme"))
        XCTAssertEqual(count.count, 4)
        await client.close()
        await server.stop()
    }

    func testExportRecordsKeepRecordedSpacingOnRoundRobinConnections() throws {
        let path = NSTemporaryDirectory() + "parley-load-\(UUID().uuidString).jsonl"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let lines = [(0, "10:00:03"), (1, "10:00:01"), (2, "10:00:02")].map { i, at in
            #"{"id":"sp-\#(i)","organization_id":"acme","session_id":"s","model":"gpt-4o","input_tokens":1,"output_tokens":1,"replied_at":"2026-11-20 \#(at)"}"#
        }
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        let recording = try TrafficRecording(path: path, organization: nil)
        let records = recording.records(connections: 2)
        XCTAssertEqual(records.map(\.arrivalMicros), [2_000_000, 0, 1_000_000])
        XCTAssertEqual(records.map(\.connection), [0, 1, 0])
        XCTAssertEqual(records.map(\.method), [.logTurn, .logTurn, .logTurn])
    }
}

/// What `parley export turns` writes, `parley-load` (and `parley import`) read back as
/// the very same turns: a replay of an export is all duplicates.
final class ExportReplayRoundTripTests: XCTestCase {
    func testReplayOfAnExportIsTheSameTurns() async throws {
        let server = try await ServerHarness.cliServer()
        let path = NSTemporaryDirectory() + "parley-export-\(UUID().uuidString).jsonl"
        defer { try? FileManager.default.removeItem(atPath: path) }
        for i in 0..<3 {
            let logged = await server.parley(["log", "turn", "--org", "acme", "--session", "s1", "--turn-id", "x\(i)", "--model", "gpt-4o",
                                              "--user-message", "hi", "--ai-response", "hello", "--input-tokens", "10", "--output-tokens", "3"])
            XCTAssertEqual(logged.code, 0, logged.err)
        }
        let exported = await server.parley(["export", "turns", "--org", "acme", "--since", "2d", "--as", "jsonl", "--output", path])
        XCTAssertEqual(exported.code, 0, exported.err)
        let terminal = Terminal.capturing()
        let code = await CommandRunner.run(ParleyLoadCommand.self, arguments: [path, "--addr", server.address, "--key", server.adminKey],
                                           terminal: terminal)
        XCTAssertEqual(code, 0, terminal.errors)
        XCTAssertTrue(terminal.output.contains("turns: 0 stored, 3 duplicates"), terminal.output + terminal.errors)
        XCTAssertTrue(terminal.output.contains("3 ok, 0 failed"), terminal.output + terminal.errors)
        await server.stop()
    }
}
