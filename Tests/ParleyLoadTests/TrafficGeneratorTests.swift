import Foundation
import NIOCore
import ParleyCore
import ParleyWire
import XCTest
@testable import ParleyLoad

final class TrafficGeneratorTests: XCTestCase {
    private func profile(seed: UInt64 = 42, size: TrafficSize = .turns(6_000)) -> TrafficProfile {
        TrafficProfile(seed: seed, size: size, turnsPerDay: 3_000, contacts: 2_000)
    }

    func testSameSeedGivesTheIdenticalStream() throws {
        let a = try TrafficGenerator(profile()).generateAll()
        let b = try TrafficGenerator(profile()).generateAll()
        XCTAssertEqual(a.events.count, b.events.count)
        XCTAssertEqual(a.events, b.events)
        XCTAssertEqual(a.totals, b.totals)
    }

    func testDifferentSeedGivesADifferentStream() throws {
        let a = try TrafficGenerator(profile(seed: 1)).generateAll()
        let b = try TrafficGenerator(profile(seed: 2)).generateAll()
        XCTAssertEqual(a.totals.turns, b.totals.turns, "the size is the same")
        let turnsA = a.events.compactMap { if case .turn(let t) = $0.kind { return t.contactId + "|" + String(t.repliedAt ?? 0) } else { return nil } }
        let turnsB = b.events.compactMap { if case .turn(let t) = $0.kind { return t.contactId + "|" + String(t.repliedAt ?? 0) } else { return nil } }
        XCTAssertNotEqual(turnsA, turnsB)
        XCTAssertNotEqual(a.totals.turnsByDevice.values.sorted(), b.totals.turnsByDevice.values.sorted())
    }

    func testSizeInTurnsIsExactAndEventsComeInTimeOrder() throws {
        let (events, totals) = try TrafficGenerator(profile(size: .turns(4_321))).generateAll()
        XCTAssertEqual(totals.turns, 4_321)
        XCTAssertEqual(events.filter { if case .turn = $0.kind { return true } else { return false } }.count, 4_321)
        XCTAssertEqual(zip(events, events.dropFirst()).filter { $0.at > $1.at }.count, 0, "time order")
        XCTAssertTrue(events.prefix(3).allSatisfy { if case .device = $0.kind { return true } else { return false } }, "the directory comes first")
    }

    func testSizeInDaysCoversThoseLocalDays() throws {
        let p = TrafficProfile(seed: 7, size: .days(2), turnsPerDay: 2_000, contacts: 1_000)
        let (_, totals) = try TrafficGenerator(p).generateAll()
        XCTAssertEqual(totals.turns, 4_000)
        let berlinDays = Set(totals.turnsByZoneDay.keys.filter { $0.timeZone == "Europe/Berlin" }.map(\.day))
        XCTAssertTrue(berlinDays.isSuperset(of: ["2026-01-05", "2026-01-06"]), "\(berlinDays)")
    }

    /// The generator's own totals against a recount of the stream, done here without
    /// any of the generator's code (the zone day with Foundation's calendar).
    func testTotalsEqualARecountOfTheStream() throws {
        let (events, totals) = try TrafficGenerator(profile()).generateAll()
        var zoneOfDevice: [String: String] = [:]
        var recount = (turns: 0, duplicates: 0, leads: 0, feedback: 0)
        var sessions = Set<String>()
        var byModel: [String: (turns: Int, input: Int64, output: Int64, total: Int64)] = [:]
        var byDevice: [String: Int] = [:]
        var byZoneDay: [ZoneDay: Int] = [:]
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd"
        formatter.locale = Locale(identifier: "en_US_POSIX")
        for event in events {
            switch event.kind {
            case .device(let d, let zone): zoneOfDevice[d.deviceId] = zone
            case .turn(let t):
                recount.turns += 1
                sessions.insert(t.sessionId)
                let tokens = try XCTUnwrap(t.tokens)
                byModel[t.model, default: (0, 0, 0, 0)].turns += 1
                byModel[t.model]?.input += tokens.input
                byModel[t.model]?.output += tokens.output
                byModel[t.model]?.total += tokens.total
                byDevice[t.deviceId, default: 0] += 1
                let zone = try XCTUnwrap(zoneOfDevice[t.deviceId])
                formatter.timeZone = TimeZone(identifier: zone)
                let day = formatter.string(from: Date(timeIntervalSince1970: Double(try XCTUnwrap(t.repliedAt)) / 1000))
                byZoneDay[ZoneDay(timeZone: zone, day: day), default: 0] += 1
            case .duplicateTurn: recount.duplicates += 1
            case .lead: recount.leads += 1
            case .feedback: recount.feedback += 1
            case .contact, .persona: break
            }
        }
        XCTAssertEqual(totals.turns, recount.turns)
        XCTAssertEqual(totals.duplicateDeliveries, recount.duplicates)
        XCTAssertEqual(totals.leads, recount.leads)
        XCTAssertEqual(totals.feedback, recount.feedback)
        XCTAssertEqual(totals.sessions, sessions.count)
        XCTAssertEqual(totals.turnsByDevice, byDevice)
        XCTAssertEqual(totals.turnsByZoneDay, byZoneDay)
        XCTAssertEqual(Set(totals.tokensByModel.keys), Set(byModel.keys))
        for (model, counted) in byModel {
            XCTAssertEqual(totals.turnsByModel[model], counted.turns, model)
            XCTAssertEqual(totals.tokensByModel[model], TokenCounts(input: counted.input, output: counted.output, total: counted.total), model)
        }
        XCTAssertGreaterThan(recount.leads, 0)
        XCTAssertGreaterThan(recount.feedback, 0)
        XCTAssertEqual(Set(byModel.keys).count, TrafficProfile.defaultModels.count, "every model of the mix is used")
        XCTAssertGreaterThan(Double(recount.turns) / Double(sessions.count), 2.5, "sessions have several turns")
    }

    func testContactActivityIsZipfSkewed() throws {
        let (events, _) = try TrafficGenerator(profile()).generateAll()
        var turnsByContact: [String: Int] = [:]
        for case .turn(let t) in events.map(\.kind) { turnsByContact[t.contactId, default: 0] += 1 }
        let sorted = turnsByContact.values.sorted(by: >)
        let total = sorted.reduce(0, +)
        let topOnePercent = sorted.prefix(2_000 / 100).reduce(0, +)
        // Uniform activity would give the top 1% about 1% of the turns.
        XCTAssertGreaterThan(Double(topOnePercent) / Double(total), 0.25, "top 1% carry \(topOnePercent) of \(total)")
    }

    func testDuplicatesAreRealRepeatsOfEarlierTurns() throws {
        let (events, totals) = try TrafficGenerator(profile()).generateAll()
        var seen: [String: Turn] = [:]
        var duplicates = 0
        for event in events {
            switch event.kind {
            case .turn(let t): seen[t.turnId] = t
            case .duplicateTurn(let t):
                duplicates += 1
                XCTAssertEqual(seen[t.turnId], t, "a duplicate repeats an earlier turn exactly: \(t.turnId)")
                XCTAssertGreaterThan(event.at, try XCTUnwrap(t.repliedAt))
            default: break
            }
        }
        XCTAssertGreaterThan(duplicates, 0)
        XCTAssertEqual(duplicates, totals.duplicateDeliveries)
    }

    func testSessionsFollowTheDailyCycleOfTheirZone() throws {
        let (events, _) = try TrafficGenerator(profile(size: .days(1))).generateAll()
        var zoneOfDevice: [String: TimeZone] = [:]
        var night = 0, day = 0
        for event in events {
            if case .device(let d, let zone) = event.kind { zoneOfDevice[d.deviceId] = TimeZone(identifier: zone) }
            guard case .turn(let t) = event.kind, let zone = zoneOfDevice[t.deviceId] else { continue }
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = zone
            let hour = calendar.component(.hour, from: Date(timeIntervalSince1970: Double(t.userMessageAt ?? 0) / 1000))
            if (2..<5).contains(hour) { night += 1 }
            if (10..<13).contains(hour) { day += 1 }
        }
        XCTAssertGreaterThan(day, 5 * night, "local mornings are busier than local nights (day \(day), night \(night))")
    }

    func testInvalidProfilesAreRefusedWithAReason() {
        XCTAssertThrowsError(try TrafficGenerator(TrafficProfile(seed: 1, size: .turns(-1)))) { error in
            XCTAssertTrue("\(error)".contains("turns"), "\(error)")
        }
        XCTAssertThrowsError(try TrafficGenerator(TrafficProfile(seed: 1, size: .days(1), timeZones: ["Mars/Olympus"]))) { error in
            XCTAssertEqual(error as? TrafficProfileError, .unknownTimeZone("Mars/Olympus"))
        }
    }

    func testGeneratedTrafficWritesACaptureThatReadsBackInOrder() throws {
        let path = NSTemporaryDirectory() + "parley-generated-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let generator = try TrafficGenerator(profile(size: .turns(500)))
        let writer = try CaptureWriter(path: path, startMicros: GeneratedCapture.startMicros(of: generator))
        let totals = try GeneratedCapture.write(generator, encoder: StandInEncoder(), connections: 4, to: writer)
        try writer.close()
        let records = try CaptureReader(path: path).readAll()
        let (events, expected) = generator.generateAll()
        XCTAssertEqual(totals, expected)
        XCTAssertEqual(records.count, events.count)
        XCTAssertEqual(zip(records, records.dropFirst()).filter { $0.arrivalMicros > $1.arrivalMicros }.count, 0)
        for (record, event) in zip(records, events) {
            XCTAssertEqual(Int64(record.arrivalMicros) + GeneratedCapture.startMicros(of: generator), Int64(event.at) * 1_000)
            XCTAssertEqual(record.frame.body.getString(at: record.frame.body.readerIndex, length: record.frame.body.readableBytes),
                           StandInEncoder.label(event))
        }
        // A session's events share one connection.
        var connectionOfSession: [String: UInt32] = [:]
        for (record, event) in zip(records, events) {
            guard case .turn(let t) = event.kind else { continue }
            XCTAssertEqual(connectionOfSession[t.sessionId, default: record.connection], record.connection)
            connectionOfSession[t.sessionId] = record.connection
        }
        XCTAssertGreaterThan(Set(records.map(\.connection)).count, 1)
    }
}

/// Stands in for the CLI's typed encoder: the body names the event, so a test can tell
/// which event a frame came from.
struct StandInEncoder: RequestEncoder {
    static func label(_ event: TrafficEvent) -> String {
        switch event.kind {
        case .device(let d, _): return "device \(d.deviceId)"
        case .contact(let c): return "contact \(c.contactId)"
        case .persona(let p): return "persona \(p.personaId)"
        case .turn(let t): return "turn \(t.turnId)"
        case .duplicateTurn(let t): return "turn \(t.turnId)"
        case .lead(let l): return "lead \(l.sessionId)"
        case .feedback(let f): return "feedback \(f.sessionId)"
        }
    }

    func request(for event: TrafficEvent, callID: UInt32) throws -> Frame {
        var body = ByteBuffer()
        body.writeString(Self.label(event))
        return Frame(type: .request, callID: callID, code: Method.logTurn.id, body: body)
    }
}
