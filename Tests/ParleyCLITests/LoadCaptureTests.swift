import Foundation
@testable import ParleyCLI
import ParleyClient
import ParleyCore
import ParleyLoad
import ParleyWire
import XCTest

/// parley-load generate and replay, and parleyd's --record, against real servers:
/// generation is deterministic and its replay yields the generator's totals in the
/// reports; a recorded capture replayed into a second server gives the same reports;
/// a damaged capture sends nothing.
final class LoadCaptureTests: XCTestCase {
    static let turns = 300
    static let contacts = 150
    static let org = "org-load"

    /// The profile `generate` builds for the flags of `generate(seed:to:)`.
    static func profile(seed: UInt64) -> TrafficProfile {
        TrafficProfile(seed: seed, size: .turns(turns), organizationId: org, turnsPerDay: turns, contacts: contacts)
    }

    static func temporaryPath(_ name: String) -> String {
        NSTemporaryDirectory() + "parley-\(name)-\(UUID().uuidString).plcp"
    }

    static func load(_ args: [String]) async -> CommandResult {
        let terminal = Terminal.capturing()
        let code = await CommandRunner.run(ParleyLoadCommand.self, arguments: args, terminal: terminal)
        return CommandResult(code: code, out: terminal.output, err: terminal.errors)
    }

    static func generate(seed: UInt64, to path: String) async -> CommandResult {
        await load(["generate", "--seed", "\(seed)", "--turns", "\(turns)", "--turns-per-day", "\(turns)",
                    "--contacts", "\(contacts)", "--connections", "4", "--output", path])
    }

    static func replay(_ path: String, into server: LiveServer, _ extra: [String] = []) async -> CommandResult {
        await load(["replay", path, "--addr", server.address, "--key", server.adminKey, "--connections", "4",
                    "--progress-seconds", "0"] + extra)
    }

    func testGenerationIsDeterministicAndItsReportsMatchTheGeneratorsTotals() async throws {
        let a = Self.temporaryPath("gen-a"), b = Self.temporaryPath("gen-b"), c = Self.temporaryPath("gen-c")
        defer { for p in [a, b, c] { try? FileManager.default.removeItem(atPath: p) } }
        for (seed, path) in [(7, a), (7, b), (8, c)] {
            let made = await Self.generate(seed: UInt64(seed), to: path)
            XCTAssertEqual(made.code, 0, made.err)
        }
        let bytesA = try Data(contentsOf: URL(fileURLWithPath: a))
        XCTAssertEqual(bytesA, try Data(contentsOf: URL(fileURLWithPath: b)), "same seed, same capture")
        XCTAssertNotEqual(bytesA, try Data(contentsOf: URL(fileURLWithPath: c)), "another seed, another capture")

        let totals = try TrafficGenerator(Self.profile(seed: 7)).generateAll().totals
        XCTAssertEqual(totals.turns, Self.turns)
        let server = try await LiveServer.start()
        let replayed = await Self.replay(a, into: server)
        XCTAssertEqual(replayed.code, 0, replayed.err + replayed.out)
        XCTAssertTrue(replayed.out.contains("0 failed"), replayed.out)
        XCTAssertTrue(replayed.out.contains("turns: \(totals.turns) stored, \(totals.duplicateDeliveries) duplicates"), replayed.out)

        let reports = try await ServerReports.fetch(server, organization: Self.org, zones: Self.profile(seed: 7).timeZones)
        var turnsByModel: [String: Int] = [:], inputByModel: [String: Int64] = [:], outputByModel: [String: Int64] = [:]
        for row in reports.models.rows {
            turnsByModel[row.model ?? ""] = Int(row.conversations ?? 0)
            inputByModel[row.model ?? ""] = row.inputTokens ?? 0
            outputByModel[row.model ?? ""] = row.outputTokens ?? 0
        }
        XCTAssertEqual(turnsByModel, totals.turnsByModel)
        XCTAssertEqual(inputByModel, totals.tokensByModel.mapValues(\.input))
        XCTAssertEqual(outputByModel, totals.tokensByModel.mapValues(\.output))
        var turnsByDevice: [String: Int] = [:]
        for row in reports.devices.rows { turnsByDevice[row.deviceID ?? ""] = Int(row.conversations ?? 0) }
        XCTAssertEqual(turnsByDevice, totals.turnsByDevice)
        // The generator counts a turn on the local day of its device's zone: ask each
        // zone's daily report for the devices in that zone.
        let (events, _) = try TrafficGenerator(Self.profile(seed: 7)).generateAll()
        var devicesByZone: [String: [String]] = [:]
        for case .device(let device, let zone) in events.map(\.kind) { devicesByZone[zone, default: []].append(device.deviceId) }
        let client = server.client()
        var byZoneDay: [ZoneDay: Int] = [:]
        for (zone, devices) in devicesByZone {
            let daily = try await client.reportDaily(V1.ReportRequest(
                organizationID: Self.org, window: ServerReports.window, timeZone: zone,
                filters: [V1.DimensionFilter(dimension: .device, values: devices)]))
            for row in daily.rows { byZoneDay[ZoneDay(timeZone: zone, day: row.date ?? ""), default: 0] += Int(row.conversations ?? 0) }
        }
        await client.close()
        XCTAssertEqual(byZoneDay, totals.turnsByZoneDay)
        await server.stop()
    }

    func testRecordThenReplayIntoASecondServerGivesTheSameReports() async throws {
        let generated = Self.temporaryPath("gen"), recorded = Self.temporaryPath("rec")
        defer {
            try? FileManager.default.removeItem(atPath: generated)
            try? FileManager.default.removeItem(atPath: recorded)
        }
        let made = await Self.generate(seed: 11, to: generated)
        XCTAssertEqual(made.code, 0, made.err)
        let zones = Self.profile(seed: 11).timeZones

        let capture = try CaptureWriter(path: recorded)
        let first = try await LiveServer.start { $0.capture = capture }
        let fed = await Self.replay(generated, into: first)
        XCTAssertEqual(fed.code, 0, fed.err + fed.out)
        let firstReports = try await ServerReports.fetch(first, organization: Self.org, zones: zones)
        let firstKey = first.adminKey
        await first.stop() // closes the capture

        let sent = try CaptureSet(path: generated).readAll()
        let everything = try CaptureSet(path: recorded).readAll()
        let captured = everything.filter { $0.frame.type == .request }
        XCTAssertEqual(everything.count, 2 * captured.count, "every request's answer is recorded too")
        // Every request the replay sent was accepted and recorded, its meta and body byte
        // for byte (call ids are the connection's own); the report calls come after them.
        XCTAssertEqual(captured.count, sent.count + 6 + 2 * zones.count)
        XCTAssertEqual(Set(captured.prefix(sent.count).map(\.frame.body)), Set(sent.map(\.frame.body)))
        XCTAssertEqual(captured.prefix(sent.count).filter { $0.method == .logTurn }.count, sent.filter { $0.method == .logTurn }.count)
        let raw = try Data(contentsOf: URL(fileURLWithPath: recorded))
        XCTAssertNil(raw.range(of: Data(firstKey.utf8)), "the API key must never be written")

        let second = try await LiveServer.start()
        let again = await Self.replay(recorded, into: second)
        XCTAssertEqual(again.code, 0, again.err + again.out)
        let secondReports = try await ServerReports.fetch(second, organization: Self.org, zones: zones)
        XCTAssertFalse(firstReports.models.rows.isEmpty)
        XCTAssertEqual(firstReports.devices, secondReports.devices)
        XCTAssertEqual(firstReports.models, secondReports.models)
        XCTAssertEqual(firstReports.personas, secondReports.personas)
        XCTAssertEqual(firstReports.contacts, secondReports.contacts)
        XCTAssertEqual(firstReports.sessions, secondReports.sessions)
        XCTAssertEqual(firstReports.conversion, secondReports.conversion)
        XCTAssertEqual(firstReports.daily, secondReports.daily)
        XCTAssertEqual(firstReports.hourly, secondReports.hourly)
        await second.stop()
    }

    /// --verify: a capture's answers (format version 2) compared with a replay's. Fed and
    /// replayed over one connection, so both servers see the requests in one order.
    func testReplayVerifyAgreesWithAnEqualServerAndNotWithOtherData() async throws {
        let generated = Self.temporaryPath("gen"), other = Self.temporaryPath("other"), recorded = Self.temporaryPath("rec")
        defer { for p in [generated, other, recorded] { try? FileManager.default.removeItem(atPath: p) } }
        let made = await Self.generate(seed: 21, to: generated)
        XCTAssertEqual(made.code, 0, made.err)
        let madeOther = await Self.generate(seed: 22, to: other)
        XCTAssertEqual(madeOther.code, 0, madeOther.err)
        let zones = Self.profile(seed: 21).timeZones

        let capture = try CaptureWriter(path: recorded)
        let first = try await LiveServer.start { $0.capture = capture }
        let fed = await Self.replay(generated, into: first, ["--connections", "1"])
        XCTAssertEqual(fed.code, 0, fed.err + fed.out)
        _ = try await ServerReports.fetch(first, organization: Self.org, zones: zones)
        await first.stop()

        let equal = try await LiveServer.start()
        let agreed = await Self.replay(recorded, into: equal, ["--connections", "1", "--verify", "--json"])
        XCTAssertEqual(agreed.code, 0, agreed.err + agreed.out)
        let summary = try JSONDecoder().decode(ReplaySummary.self, from: Data(agreed.out.utf8))
        let verify = try XCTUnwrap(summary.verify)
        XCTAssertEqual(verify.mismatches, 0, verify.examples.joined(separator: "\n"))
        XCTAssertEqual(verify.compared, summary.calls, "every call had a recorded answer")
        XCTAssertGreaterThan(verify.compared, Self.turns)
        await equal.stop()

        // Another day of traffic first: the same requests now meet other data, so the
        // reports (and the sessions' metrics) answer differently.
        let different = try await LiveServer.start()
        let seeded = await Self.replay(other, into: different)
        XCTAssertEqual(seeded.code, 0, seeded.err + seeded.out)
        let disagreed = await Self.replay(recorded, into: different, ["--connections", "1", "--verify"])
        XCTAssertNotEqual(disagreed.code, 0, "mismatches above the threshold (0) fail the replay")
        XCTAssertTrue(disagreed.out.contains("differ"), disagreed.out)
        XCTAssertTrue(disagreed.err.contains("answers differ from the recorded ones"), disagreed.err)
        let tolerated = await Self.replay(recorded, into: different, ["--connections", "1", "--verify", "--max-mismatch-rate", "1"])
        XCTAssertEqual(tolerated.code, 0, tolerated.err)
        await different.stop()

        // A capture without answers (generated traffic) says that nothing was compared.
        let blind = try await LiveServer.start()
        let unverifiable = await Self.replay(generated, into: blind, ["--verify"])
        XCTAssertNotEqual(unverifiable.code, 0)
        XCTAssertTrue(unverifiable.out.contains("the capture holds no answers"), unverifiable.out)
        await blind.stop()
    }

    func testTruncatedOrCorruptCapturesNameTheOffsetAndSendNothing() async throws {
        let path = Self.temporaryPath("damaged")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let made = await Self.generate(seed: 3, to: path)
        XCTAssertEqual(made.code, 0, made.err)
        let good = try Data(contentsOf: URL(fileURLWithPath: path))
        // The offset of the last record: walk the records' length fields.
        var offset = CaptureFormat.headerSize, last = offset
        while offset < good.count {
            last = offset
            let n = good[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) }
            offset += n + CaptureFormat.recordOverhead
        }
        let server = try await LiveServer.start()

        try good.prefix(good.count - 3).write(to: URL(fileURLWithPath: path))
        let truncated = await Self.replay(path, into: server)
        XCTAssertNotEqual(truncated.code, 0)
        XCTAssertTrue(truncated.err.contains("truncated at byte offset \(last)"), truncated.err)
        XCTAssertTrue(truncated.err.contains("nothing was sent"), truncated.err)

        var corrupt = good
        corrupt[last + 30] ^= 0xFF
        try corrupt.write(to: URL(fileURLWithPath: path))
        let damaged = await Self.replay(path, into: server)
        XCTAssertNotEqual(damaged.code, 0)
        XCTAssertTrue(damaged.err.contains("corrupt at byte offset \(last)"), damaged.err)

        let client = server.client()
        let count = try await client.countSessionMetrics(V1.ListSessionMetricsRequest(organizationID: Self.org))
        XCTAssertEqual(count.count ?? 0, 0, "a damaged capture must send nothing")
        let calls = server.instance.server.statistics.calls.filter { $0.method != Method.countSessionMetrics.name }
        XCTAssertEqual(calls.map(\.count).reduce(0, +), 0, "\(calls)")
        await client.close()
        await server.stop()
    }
}

/// Every report of one organization over the generated traffic's window, in each zone
/// the daily report is asked for: two servers with the same data give equal values.
struct ServerReports: Equatable {
    var devices: V1.DevicesReport
    var models: V1.ModelsReport
    var personas: V1.PersonasReport
    var contacts: V1.ContactsReport
    var sessions: V1.SessionsReport
    var conversion: V1.ConversionReport
    var daily: [String: V1.DailyReport]
    var hourly: [String: V1.HourlyReport]

    /// The generated traffic starts on 2026-01-05 and runs a day; a week around it holds it all.
    static let window = V1.TimeWindow(sinceMs: 1_767_571_200_000 - 3 * 86_400_000, untilMs: 1_767_571_200_000 + 4 * 86_400_000)

    static func fetch(_ server: LiveServer, organization: String, zones: [String]) async throws -> ServerReports {
        let client = server.client()
        func request(_ zone: String = "UTC") -> V1.ReportRequest {
            V1.ReportRequest(organizationID: organization, window: Self.window, timeZone: zone)
        }
        var daily: [String: V1.DailyReport] = [:], hourly: [String: V1.HourlyReport] = [:]
        for zone in zones {
            daily[zone] = try await client.reportDaily(request(zone))
            hourly[zone] = try await client.reportHourly(request(zone))
        }
        var sessions = try await client.reportSessions(request())
        // When the server received a session's first and last call is its own clock, not
        // data: a replay minutes later cannot repeat it.
        for i in sessions.rows.indices {
            sessions.rows[i].createdAtMs = nil
            sessions.rows[i].updatedAtMs = nil
        }
        let reports = ServerReports(
            devices: try await client.reportDevices(request()), models: try await client.reportModels(request()),
            personas: try await client.reportPersonas(request()), contacts: try await client.reportContacts(request()),
            sessions: sessions, conversion: try await client.reportConversion(request()),
            daily: daily, hourly: hourly)
        await client.close()
        return reports
    }
}
