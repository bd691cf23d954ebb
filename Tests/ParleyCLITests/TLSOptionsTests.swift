import Foundation
@testable import ParleyCLI
import ParleyClient
import XCTest

/// --tls and --ca, then PARLEY_TLS / PARLEY_CA, then the config file's `tls` and `ca`.
final class TLSOptionsTests: XCTestCase {
    func testTLSComesFromFlagsThenEnvironmentThenFile() throws {
        let home = NSTemporaryDirectory() + "parley-home-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: home + "/.config/parley", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: home) }
        var env = ["HOME": home, "PARLEY_KEY": "k"]

        XCTAssertNil(try ConnectionOptions.parse([]).resolve(environment: env).tls, "plain by default")
        XCTAssertEqual(try ConnectionOptions.parse(["--tls"]).resolve(environment: env).tls, ClientTLS())
        XCTAssertEqual(try ConnectionOptions.parse(["--ca", "/etc/ca.pem"]).resolve(environment: env).tls,
                       ClientTLS(caFile: "/etc/ca.pem"), "--ca implies --tls")

        try "tls = 1\nca = /file/ca.pem\n".write(toFile: home + "/.config/parley/config", atomically: true, encoding: .utf8)
        XCTAssertEqual(try ConnectionOptions.parse([]).resolve(environment: env).tls, ClientTLS(caFile: "/file/ca.pem"))
        env["PARLEY_CA"] = "/env/ca.pem"
        XCTAssertEqual(try ConnectionOptions.parse([]).resolve(environment: env).tls, ClientTLS(caFile: "/env/ca.pem"))
        XCTAssertEqual(try ConnectionOptions.parse(["--ca", "/flag/ca.pem"]).resolve(environment: env).tls,
                       ClientTLS(caFile: "/flag/ca.pem"))

        try "tls = yes\n".write(toFile: home + "/.config/parley/config", atomically: true, encoding: .utf8)
        env["PARLEY_CA"] = nil
        env["PARLEY_TLS"] = "0"
        XCTAssertNil(try ConnectionOptions.parse([]).resolve(environment: env).tls, "the variable wins over the file")
        env["PARLEY_TLS"] = "maybe"
        XCTAssertThrowsError(try ConnectionOptions.parse([]).resolve(environment: env)) { error in
            XCTAssertEqual((error as? CLIError)?.exitCode, 64)
            XCTAssertTrue("\(error)".contains("PARLEY_TLS"), "\(error)")
        }
    }

    func testTheLocalAdminKeyStaysOnThisMachineWithTLSToo() throws {
        let data = NSTemporaryDirectory() + "parley-data-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: data) }
        try "local-admin-key\n".write(toFile: data + "/admin.key", atomically: true, encoding: .utf8)
        let env = ["HOME": data + "/none", "PARLEY_DATA_DIR": data]
        XCTAssertThrowsError(try ConnectionOptions.parse(["--addr", "parley.example:7420", "--tls"]).resolve(environment: env)) { error in
            XCTAssertTrue("\(error)".contains("loopback"), "\(error)")
        }
    }

    func testATLSFailureIsItsOwnKindOfError() {
        let error = CLIError(ClientError.tls("127.0.0.1:7420: the server's certificate is not signed by the CA in ca.pem"))
        XCTAssertEqual(error.exitCode, 69)
        XCTAssertTrue(error.description.hasPrefix("parley: TLS: "), error.description)
    }
}
