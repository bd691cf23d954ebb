import Foundation
import NIOCore
import ParleyClient
@testable import ParleyServer
import ParleyWire
import XCTest
import ParleyTestSupport

/// The RPC listener with --tls-cert/--tls-key: a TLS client that trusts the CA gets
/// served; one that trusts another CA, a plain client, and a TLS client of a plain server
/// each get an error that says what to change, and the server keeps serving.
final class TLSTests: XCTestCase {
    private var certificates: TestCertificates!

    override func setUpWithError() throws {
        certificates = try TestCertificates.make()
    }

    override func tearDown() {
        certificates?.remove()
    }

    private func startTLSServer() async throws -> ServerHarness {
        let tls = ServerTLS(certificatePath: certificates.serverCertificate, keyPath: certificates.serverKey)
        return try await ServerHarness.start(services: TestServices().registry) { $0.tls = tls }
    }

    private func client(_ harness: ServerHarness, host: String = "127.0.0.1", tls: ClientTLS?) -> ParleyClient {
        var config = ClientConfiguration(host: host, port: harness.port, apiKey: harness.adminKey, clientName: "tls-test")
        config.tls = tls
        config.defaultTimeoutMs = 10_000
        config.retriesForUnacceptedCalls = 0
        return ParleyClient(configuration: config)
    }

    func testHandshakeAndCallsOverTLSByAddressAndByName() async throws {
        let harness = try await startTLSServer()
        for host in ["127.0.0.1", "localhost"] {
            let c = client(harness, host: host, tls: ClientTLS(caFile: certificates.caFile))
            let welcome = try await c.connect()
            XCTAssertEqual(welcome.role, "admin", host)
            let info = try await c.call(ParleyRPC.serverInfo, V1.Empty())
            XCTAssertEqual(info.protocolVersion, UInt32(Frame.version), host)
            let rtt = try await c.ping()
            XCTAssertGreaterThan(rtt, 0, host)
            await c.close()
        }
        await harness.stop()
    }

    func testAClientTrustingAnotherCAIsRefusedAndSaysSo() async throws {
        let harness = try await startTLSServer()
        let wrong = client(harness, tls: ClientTLS(caFile: certificates.otherCAFile))
        do {
            try await wrong.connect()
            XCTFail("a client trusting another CA completed the handshake")
        } catch let error as ClientError {
            guard case .tls(let text) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(text.contains("not signed by the CA in \(certificates.otherCAFile)"), text)
            XCTAssertTrue(text.contains("--ca"), text)
        }
        await wrong.close()
        // The refusal cost the server nothing: a client with the right CA is served.
        let right = client(harness, tls: ClientTLS(caFile: certificates.caFile))
        _ = try await right.call(ParleyRPC.serverInfo, V1.Empty())
        await right.close()
        await harness.stop()
    }

    func testPlainFramesToATLSPortGetAClearRefusalAndTheServerStaysUp() async throws {
        let harness = try await startTLSServer()
        // Raw bytes: a plain HELLO is answered with a plain GOAWAY 9, then the close.
        let raw = try harness.raw()
        var hello = ByteBuffer()
        Frame(type: .hello, body: try Hello(clientName: "plain", apiKey: harness.adminKey).wire.encoded()).write(to: &hello)
        raw.send(Array(hello.readableBytesView))
        let goAway = try raw.expectGoAway()
        XCTAssertEqual(goAway.frame.code, StatusCode.failedPrecondition.rawValue)
        XCTAssertTrue(goAway.meta.message.contains("accepts only TLS"), goAway.meta.message)
        XCTAssertTrue(goAway.closed)
        // The client library turns that into a refusal naming the fix.
        let plain = client(harness, tls: nil)
        do {
            try await plain.connect()
            XCTFail("a plain client was served by a TLS port")
        } catch let error as ClientError {
            guard case .rejected(let refusal) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(refusal.status, .failedPrecondition)
            XCTAssertTrue(refusal.message.contains("connect with TLS"), refusal.message)
        }
        await plain.close()
        // Garbage that is neither TLS nor a frame is refused by the TLS layer alone.
        let garbage = try harness.raw()
        garbage.send(Array("GET / HTTP/1.1\r\n\r\n".utf8))
        XCTAssertTrue(garbage.isClosedByServer())
        let good = client(harness, tls: ClientTLS(caFile: certificates.caFile))
        _ = try await good.call(ParleyRPC.serverInfo, V1.Empty())
        await good.close()
        await harness.stop()
    }

    func testATLSClientOfAPlainServerIsToldTheServerHasNoTLS() async throws {
        let harness = try await ServerHarness.start(services: TestServices().registry)
        let c = client(harness, tls: ClientTLS(caFile: certificates.caFile))
        do {
            try await c.connect()
            XCTFail("a TLS handshake succeeded against a plain server")
        } catch let error as ClientError {
            guard case .tls(let text) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(text.contains("did not answer in TLS"), text)
        }
        await c.close()
        await harness.stop()
    }

    func testUnreadableCertificateOrKeyStopsTheStartNamingTheFile() async throws {
        let missing = certificates.directory + "/missing.pem"
        for tls in [ServerTLS(certificatePath: missing, keyPath: certificates.serverKey),
                    ServerTLS(certificatePath: certificates.serverCertificate, keyPath: missing),
                    // A key that is not the certificate's.
                    ServerTLS(certificatePath: certificates.serverCertificate, keyPath: certificates.directory + "/ca.key")] {
            do {
                let harness = try await ServerHarness.start { $0.tls = tls }
                await harness.stop()
                XCTFail("started with \(tls)")
            } catch {
                let text = "\(error)"
                XCTAssertTrue(text.contains(tls.certificatePath == missing ? "--tls-cert" : "--tls-key"), text)
                XCTAssertTrue(text.contains(missing) || text.contains("ca.key"), text)
            }
        }
    }

    func testNonLoopbackListeningNeedsTLSOrInsecureListen() throws {
        var config = ServerConfiguration(dataDirectory: certificates.directory)
        config.host = "0.0.0.0"
        XCTAssertThrowsError(try ListenPolicy.check(config)) { error in
            XCTAssertTrue("\(error)".contains("--tls-cert"), "\(error)")
        }
        config.tls = ServerTLS(certificatePath: certificates.serverCertificate, keyPath: certificates.serverKey)
        XCTAssertNoThrow(try ListenPolicy.check(config))
        config.tls = nil
        config.insecureListen = true
        XCTAssertNoThrow(try ListenPolicy.check(config))
    }

    func testCertificateAndKeyPathsComeFromFlagsVariablesOrTheFile() async throws {
        let env = ["PARLEY_TLS_CERT": "/env/cert.pem", "PARLEY_TLS_KEY": "/env/key.pem"]
        let fromEnv = try await DaemonSettings.resolve(flags: [:], environment: env, file: nil)
        XCTAssertEqual(fromEnv.tlsCert, "/env/cert.pem")
        XCTAssertEqual(fromEnv.tlsKey, "/env/key.pem")
        let file = certificates.directory + "/parleyd.json"
        try #"{"tls-cert": "/file/cert.pem", "tls-key": "/file/key.pem"}"#.write(toFile: file, atomically: true, encoding: .utf8)
        let mixed = try await DaemonSettings.resolve(flags: [.tlsCert: .text("/flag/cert.pem")], environment: [:], file: file)
        XCTAssertEqual(mixed.tlsCert, "/flag/cert.pem")
        XCTAssertEqual(mixed.tlsKey, "/file/key.pem")
        let unset = try await DaemonSettings.resolve(flags: [:], environment: [:], file: nil)
        XCTAssertNil(unset.tlsCert)
    }
}
