import Foundation
import NIOCore
import ParleyFuzz
import ParleyWire
import XCTest

/// The fuzz target's seed corpus (Fuzz/corpus) as a regression suite in every test run:
/// each input goes through FuzzInput as libFuzzer would give it, and the seeds cover
/// every method's request type.
final class FuzzCorpusTests: XCTestCase {
    private var corpus: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Fuzz/corpus")
    }

    func testEverySeedRunsAndEveryMethodHasOne() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: corpus.path).sorted()
        var methods = Set<Method>()
        for name in names {
            let bytes = [UInt8](try Data(contentsOf: corpus.appendingPathComponent(name)))
            FuzzInput.run(bytes)
            if bytes.count >= 2, bytes[0] >= 0x80 {
                let method = Method.allCases[Int(bytes[1]) % Method.allCases.count]
                methods.insert(method)
                // Seeds are real requests: each decodes as its method's type.
                XCTAssertNoThrow(try method.decodeRequest(ByteBuffer(bytes: bytes.dropFirst(2))), name)
            }
        }
        XCTAssertEqual(methods.count, Method.allCases.count,
                       "methods without a seed: \(Set(Method.allCases).subtracting(methods).map(\.name).sorted()); run Fuzz/make_seeds.py")
        XCTAssertTrue(names.contains { $0.hasPrefix("frames-") }, "no frame-stream seed")
    }
}
