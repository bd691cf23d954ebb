import NIOCore
import ParleyClient
import ParleyWire
import XCTest
import ParleyTestSupport

/// Random and mutated frames: the server must stay up and keep answering others.
final class FuzzTests: XCTestCase {
    func testTwoThousandRandomAndMutatedFramesDoNotHurtTheServer() async throws {
        let services = TestServices()
        let harness = try await ServerHarness.start(services: services.registry) { config in
            config.maxFrameSize = 256 * 1024
            config.idleTimeoutMs = 2_000
        }
        let bystander = harness.client()
        let seed = UInt64(ProcessInfo.processInfo.environment["PARLEY_SEED"] ?? "") ?? UInt64.random(in: 1...UInt64.max)
        print("FuzzTests seed: \(seed) (PARLEY_SEED=\(seed) repeats it)")
        var rng = SeededGenerator(seed: seed)

        // Valid frames to mutate: a HELLO and requests of every method with garbage-ish bodies.
        var templates: [[UInt8]] = []
        func bytes(_ f: Frame) -> [UInt8] { var b = ByteBuffer(); f.write(to: &b); return Array(b.readableBytesView) }
        templates.append(bytes(Frame(type: .hello, body: try Hello(clientName: "fuzz", apiKey: harness.adminKey).wire.encoded())))
        for m in Method.allCases {
            templates.append(bytes(Frame(type: .request, callID: 1, code: m.id, meta: try CallMetadata(timeoutMs: 100).wire.encoded(),
                                         body: ByteBuffer(bytes: (0..<Int(rng.next() % 40)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }))))
        }
        templates.append(bytes(Frame(type: .ping, body: ByteBuffer(bytes: [1, 2, 3, 4, 5, 6, 7, 8]))))
        templates.append(bytes(Frame(type: .cancel, callID: 1)))

        var sent = 0
        while sent < 2_000 {
            let raw = try harness.raw(timeoutSeconds: 2)
            // Half the connections authenticate first, so mutations reach the call path.
            if rng.next() % 2 == 0 { _ = try? raw.hello(key: harness.adminKey) }
            for _ in 0..<20 {
                var frame = templates[Int(rng.next() % UInt64(templates.count))]
                switch rng.next() % 4 {
                case 0: // flip random bytes
                    for _ in 0...(rng.next() % 4) { frame[Int(rng.next() % UInt64(frame.count))] ^= UInt8(truncatingIfNeeded: rng.next() | 1) }
                case 1: // pure noise
                    frame = (0..<Int(rng.next() % 64)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
                case 2: // truncate
                    frame = Array(frame.prefix(Int(rng.next() % UInt64(frame.count + 1))))
                default: // mutate the call id and method
                    if frame.count >= 20 {
                        frame[4 + Int(rng.next() % 4)] = UInt8(truncatingIfNeeded: rng.next())
                        frame[8 + Int(rng.next() % 2)] = UInt8(truncatingIfNeeded: rng.next())
                    }
                }
                raw.send(frame)
                sent += 1
            }
            if sent % 200 == 0 {
                let info = try await bystander.call(ParleyRPC.serverInfo, V1.Empty())
                XCTAssertNotNil(info.version)
            }
        }
        // Let the server chew through what is still buffered before the last check.
        try await Task.sleep(nanoseconds: 300_000_000)
        let info = try await bystander.call(ParleyRPC.serverInfo, V1.Empty())
        XCTAssertNotNil(info.version, "server still answers after \(sent) hostile frames")
        await bystander.close()
        await harness.stop()
    }
}

