import XCTest
@testable import ParleyCore
import ParleyTestSupport

final class RecordCoderTests: XCTestCase {
    func optional<T>(_ rng: inout SeededGenerator, _ make: (inout SeededGenerator) -> T) -> T? {
        Bool.random(using: &rng) ? make(&rng) : nil
    }

    func text(_ rng: inout SeededGenerator) -> String {
        ["", "hello", "héllo wörld", "你好", "a\u{0}b", String(repeating: "x", count: 300),
         String(repeating: "Our plan costs $49. ", count: 12), String(repeating: "你好🙂 e\u{301}", count: 20)][Int.random(in: 0..<8, using: &rng)]
    }

    func randomTurn(_ rng: inout SeededGenerator) -> Turn {
        Turn(turnId: rng.identifier(), organizationId: rng.identifier(), sessionId: rng.identifier(),
             deviceId: text(&rng), messageId: text(&rng), contactId: text(&rng), personaId: text(&rng),
             widgetId: text(&rng), userId: text(&rng), model: text(&rng), userMessage: text(&rng), aiResponse: text(&rng),
             tokens: optional(&rng) { TokenCounts(input: .random(in: 0 ... .max, using: &$0), output: .random(in: 0...9, using: &$0), cachedRead: 3, cacheWrite: 4, total: -5, reasoning: 6) },
             usage: optional(&rng) { [ProviderUsage.openai(OpenAIUsage(promptTokens: 9, cachedTokens: 2, completionTokens: .random(in: 0...9, using: &$0), totalTokens: nil)),
                                      .anthropic(AnthropicUsage(inputTokens: 1, cacheReadInputTokens: 2, cacheCreationInputTokens: 3, outputTokens: 4)),
                                      .gemini(GeminiUsage(promptTokenCount: 5, candidatesTokenCount: 6, totalTokenCount: 11)),
                                      .parley(NormalizedUsage(input: 1, output: 2, reasoning: 1))][Int.random(in: 0..<4, using: &$0)] },
             userMessageAt: optional(&rng) { .random(in: .min ... .max, using: &$0) },
             repliedAt: optional(&rng) { .random(in: 0...1_000_000, using: &$0) },
             responseTime: optional(&rng) { .random(in: 0...1_000, using: &$0) },
             language: text(&rng), sentimentScore: optional(&rng) { .random(in: -1...1, using: &$0) },
             errorCount: optional(&rng) { .random(in: .min ... .max, using: &$0) },
             feedbackScore: optional(&rng) { .random(in: 1...5, using: &$0) },
             tokenCountMethod: optional(&rng) { TokenCountMethod.allCases[Int.random(in: 0..<3, using: &$0)] }, receivedAt: optional(&rng) { .random(in: 0...9, using: &$0) })
    }

    func randomMetrics(_ rng: inout SeededGenerator) -> SessionMetrics {
        SessionMetrics(organizationId: rng.identifier(), sessionId: rng.identifier(), widgetId: text(&rng),
                       userId: text(&rng), firstTurnId: text(&rng), totalMessages: .random(in: 0...99, using: &rng),
                       totalTokens: .random(in: 0 ... .max, using: &rng), promptTokens: 1, completionTokens: 2,
                       conversationStart: optional(&rng) { .random(in: 0...99, using: &$0) },
                       conversationEnd: optional(&rng) { .random(in: 0...99, using: &$0) },
                       duration: optional(&rng) { .random(in: 0...99, using: &$0) },
                       averageResponseTime: optional(&rng) { .random(in: 0...99, using: &$0) },
                       hasLead: .random(using: &rng), leadName: text(&rng), leadEmail: text(&rng), leadCompany: text(&rng),
                       userSatisfaction: optional(&rng) { .random(in: 1...5, using: &$0) },
                       createdAt: optional(&rng) { .random(in: 0...99, using: &$0) },
                       updatedAt: optional(&rng) { .random(in: 0...99, using: &$0) },
                       turnCount: .random(in: 0...99, using: &rng),
                       leadCapturedAt: optional(&rng) { .random(in: 0...99, using: &$0) },
                       tallies: SessionTallies(responseTimeSum: 7, responseTimeCount: 2, feedbackScoreSum: 9, feedbackCount: 2,
                                               shownLeadCapturedAt: optional(&rng) { .random(in: 0...99, using: &$0) }))
    }

    /// Every strict prefix must fail to decode, and random garbling must never trap.
    func assertRobust<Record: RecordCodable & Equatable>(_ record: Record, _ rng: inout SeededGenerator, file: StaticString = #filePath, line: UInt = #line) {
        let bytes = RecordCoder.encode(record)
        XCTAssertEqual(try RecordCoder.decode(Record.self, from: bytes), record, file: file, line: line)
        for length in 0..<bytes.count {
            XCTAssertThrowsError(try RecordCoder.decode(Record.self, from: Array(bytes[0..<length])), "prefix \(length)", file: file, line: line)
        }
        XCTAssertThrowsError(try RecordCoder.decode(Record.self, from: bytes + [0]), file: file, line: line)
        for _ in 0..<50 {
            var garbled = bytes
            let index = Int.random(in: 0..<garbled.count, using: &rng)
            garbled[index] = UInt8.random(in: 0...255, using: &rng)
            _ = try? RecordCoder.decode(Record.self, from: garbled)
        }
    }

    func testRoundTripsAndDamage() {
        var rng = SeededGenerator.announced("testRoundTripsAndDamage")
        for _ in 0..<30 {
            assertRobust(randomTurn(&rng), &rng)
            assertRobust(randomMetrics(&rng), &rng)
            assertRobust(Message(messageId: rng.identifier(), organizationId: "o", contactId: text(&rng), deviceId: text(&rng),
                                 sessionId: text(&rng), direction: .outbound, content: text(&rng),
                                 createdAt: optional(&rng) { .random(in: 0...9, using: &$0) }), &rng)
            assertRobust(Device(organizationId: "o", deviceId: rng.identifier(), name: text(&rng), phoneNumber: "+1"), &rng)
            assertRobust(Contact(organizationId: "o", contactId: rng.identifier(), name: text(&rng), phoneNumber: "+1"), &rng)
            assertRobust(Persona(organizationId: "o", personaId: rng.identifier(), name: text(&rng), defaultModel: "m"), &rng)
            assertRobust(Widget(organizationId: "o", widgetId: rng.identifier(), userId: "u", name: text(&rng)), &rng)
            assertRobust(Lead(organizationId: "o", sessionId: "s", name: text(&rng), email: "e", company: text(&rng),
                              capturedAt: optional(&rng) { .random(in: 0...9, using: &$0) }), &rng)
            assertRobust(Feedback(organizationId: "o", sessionId: "s", turnId: text(&rng), score: 3,
                                  givenAt: optional(&rng) { .random(in: 0...9, using: &$0) }), &rng)
        }
    }

    func testRandomBytesNeverTrap() {
        var rng = SeededGenerator.announced("testRandomBytesNeverTrap")
        for _ in 0..<2_000 {
            let bytes = [UInt8(1)] + (0..<Int.random(in: 0...40, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            _ = try? RecordCoder.decode(Turn.self, from: bytes)
            _ = try? RecordCoder.decode(SessionMetrics.self, from: bytes)
            _ = try? RecordCoder.decode(Message.self, from: bytes)
        }
    }

    func testTypedErrors() {
        XCTAssertThrowsError(try RecordCoder.decode(Device.self, from: [])) { XCTAssertEqual($0 as? DecodeError, .truncated(offset: 0, needed: 1)) }
        XCTAssertThrowsError(try RecordCoder.decode(Device.self, from: [9])) {
            XCTAssertEqual($0 as? DecodeError, .unsupportedVersion(record: "Device", found: 9, supported: 1))
        }
        XCTAssertThrowsError(try RecordCoder.decode(Lead.self, from: [1, 0x02])) {
            XCTAssertEqual($0 as? DecodeError, .unknownPresenceBits(record: "Lead", bits: 2))
        }
        XCTAssertThrowsError(try RecordCoder.decode(Device.self, from: [1, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F])) {
            XCTAssertEqual($0 as? DecodeError, .varintTooLong(offset: 1))
        }
        XCTAssertThrowsError(try RecordCoder.decode(Device.self, from: [1, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F]))
    }

    func testVarintEdges() throws {
        for value in [UInt64(0), 127, 128, 16_383, 16_384, .max] {
            var writer = ByteWriter()
            writer.writeVarint(value)
            var reader = ByteReader(writer.bytes)
            XCTAssertEqual(try reader.readVarint(), value)
        }
        for value in [Int64.min, -1, 0, 1, .max] {
            var writer = ByteWriter()
            writer.writeSigned(value)
            var reader = ByteReader(writer.bytes)
            XCTAssertEqual(try reader.readSigned(), value)
        }
    }
}
