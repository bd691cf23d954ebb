import Foundation
import XCTest

/// The C code in Sources/ParleyProtoC must be what Tools/gen-protos makes from Protos/.
final class GeneratedCodeTests: XCTestCase {
    func testCommittedCCodeIsFreshFromProtos() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/protoc-c") else {
            throw XCTSkip("protoc-c is not installed (Tools/test installs it)")
        }
        let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("parley-gen-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: tmp) }
        let protos = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("Protos").path)
            .filter { $0.hasSuffix(".proto") }.sorted()
        XCTAssertFalse(protos.isEmpty)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/protoc-c")
        p.arguments = ["--proto_path=\(root.path)/Protos", "--c_out=\(tmp.path)"] + protos.map { "\(root.path)/Protos/\($0)" }
        try p.run()
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0)
        for proto in protos {
            let base = proto.replacingOccurrences(of: ".proto", with: ".pb-c")
            let fresh = [try Data(contentsOf: tmp.appendingPathComponent(base + ".c")), try Data(contentsOf: tmp.appendingPathComponent(base + ".h"))]
            let committed = [
                try Data(contentsOf: root.appendingPathComponent("Sources/ParleyProtoC/\(base).c")),
                try Data(contentsOf: root.appendingPathComponent("Sources/ParleyProtoC/include/\(base).h")),
            ]
            XCTAssertEqual(fresh, committed, "\(proto): the committed C code is stale; run Tools/gen-protos")
        }
        let catalog = try String(contentsOf: root.appendingPathComponent("Sources/ParleyProtoC/parley_catalog.c"), encoding: .utf8)
        let declared = try protos.flatMap { proto -> [String] in
            let h = try String(contentsOf: tmp.appendingPathComponent(proto.replacingOccurrences(of: ".proto", with: ".pb-c.h")), encoding: .utf8)
            return h.split(separator: "\n").filter { $0.hasPrefix("extern const ProtobufCMessageDescriptor ") }
                .map { String($0.split(separator: " ")[3].dropLast()) }
        }
        for name in declared {
            XCTAssertTrue(catalog.contains("&\(name),"), "parley_catalog.c lacks \(name); run Tools/gen-protos")
        }
    }

    /// The typed Swift messages, the method table and the test samples must be what
    /// Tools/lib/gen_swift.py makes from Protos/.
    func testCommittedSwiftCodeIsFreshFromProtos() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") else {
            throw XCTSkip("python3 is not installed")
        }
        let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("parley-gen-swift-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: tmp) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        p.arguments = ["\(root.path)/Tools/lib/gen_swift.py", "\(root.path)/Protos", tmp.appendingPathComponent("Generated").path,
                       tmp.appendingPathComponent("Client").path, tmp.appendingPathComponent("MessageSamples.swift").path]
        try p.run()
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0)
        let committedDir = root.appendingPathComponent("Sources/ParleyWire/Generated")
        let fresh = try FileManager.default.contentsOfDirectory(atPath: tmp.appendingPathComponent("Generated").path).sorted()
        let committed = try FileManager.default.contentsOfDirectory(atPath: committedDir.path).sorted()
        XCTAssertEqual(fresh, committed, "Sources/ParleyWire/Generated has other files than the generator makes; run Tools/gen-protos")
        XCTAssertFalse(fresh.isEmpty)
        for name in fresh where committed.contains(name) {
            XCTAssertEqual(try Data(contentsOf: tmp.appendingPathComponent("Generated/\(name)")),
                           try Data(contentsOf: committedDir.appendingPathComponent(name)),
                           "\(name) is stale; run Tools/gen-protos")
        }
        let clientDir = root.appendingPathComponent("Sources/ParleyClient/Generated")
        for name in try FileManager.default.contentsOfDirectory(atPath: tmp.appendingPathComponent("Client").path) {
            XCTAssertEqual(try Data(contentsOf: tmp.appendingPathComponent("Client/\(name)")),
                           try? Data(contentsOf: clientDir.appendingPathComponent(name)),
                           "Sources/ParleyClient/Generated/\(name) is stale; run Tools/gen-protos")
        }
        XCTAssertEqual(try Data(contentsOf: tmp.appendingPathComponent("MessageSamples.swift")),
                       try Data(contentsOf: root.appendingPathComponent("Tests/ParleyWireTests/Generated/MessageSamples.swift")),
                       "Tests/ParleyWireTests/Generated/MessageSamples.swift is stale; run Tools/gen-protos")
    }
}
