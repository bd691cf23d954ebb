import Foundation
@testable import ParleyCLI
import XCTest

/// The import's arithmetic DATETIME reader agrees with TimeExpression (the calendar) on
/// every shape it accepts, and leaves every other shape to it.
final class DateTimeTextTests: XCTestCase {
    func testAgreesWithTheCalendar() throws {
        let utc = try XCTUnwrap(TimeZone(identifier: "UTC"))
        var texts = ["1970-01-01 00:00:00", "2026-11-03 10:00:00", "2024-02-29 23:59:59", "2000-03-01T00:00:00",
                     "2026-11-03 10:00:00.250", "2026-11-03 10:00:00.123456", "1969-12-31 23:59:59.9", "2100-12-31 12:30:45"]
        var seed: UInt64 = 42
        for _ in 0..<500 {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            let ms = Int64(seed >> 24) % 4_102_444_800_000
            let date = Date(timeIntervalSince1970: Double(ms) / 1000)
            let f = DateFormatter()
            f.timeZone = utc
            f.locale = Locale(identifier: "en_US_POSIX")
            f.dateFormat = "yyyy-MM-dd HH:mm:ss"
            texts.append(f.string(from: date))
        }
        for text in texts {
            XCTAssertEqual(DateTimeText.utcMilliseconds(text), try TimeExpression.absolute(text, timeZone: utc), text)
        }
    }

    func testOtherShapesAreLeftToTimeExpression() {
        for text in ["2026-11-03T10:00:00Z", "2026-11-03 10:00:00+02:00", "1793700000000", "2026-02-30 10:00:00",
                     "2026-11-03 24:00:00", "2026-11-03", "2026-11-03 10:00", "2026-11-03 10:00:00.", "yesterday"] {
            XCTAssertNil(DateTimeText.utcMilliseconds(text), text)
        }
    }
}
