import Foundation
import ParleyServer
import XCTest

/// Each setting comes from the flag, else the PARLEY_* variable, else the file, else
/// the default; a value of the wrong type is an error naming all three places.
final class DaemonSettingsTests: XCTestCase {
    private var file = ""

    override func setUp() {
        file = NSTemporaryDirectory() + "parley-settings-\(UUID().uuidString).json"
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: file)
    }

    func testFlagOverEnvironmentOverFileOverDefault() async throws {
        try Data("""
        {"listen": "127.0.0.1:9001", "data-dir": "/from/file", "max-connections": 10, "shutdown-grace": 7}
        """.utf8).write(to: URL(fileURLWithPath: file))
        let environment = ["PARLEY_DATA_DIR": "/from/env", "PARLEY_MAX_CONNECTIONS": "20", "HOME": "/root"]
        let settings = try await DaemonSettings.resolve(flags: [.maxConnections: .number(30)],
                                                        environment: environment, file: file)
        XCTAssertEqual(settings.maxConnections, 30, "flag over environment and file")
        XCTAssertEqual(settings.dataDir, "/from/env", "environment over file")
        XCTAssertEqual(settings.listen, "127.0.0.1:9001", "file over default")
        XCTAssertEqual(settings.shutdownGrace, 7)
        XCTAssertEqual(settings.logLevel, DaemonSettings().logLevel, "default when no source has it")
        XCTAssertNil(settings.metricsListen)
    }

    func testVocabularyFromFlagEnvironmentOrFile() async throws {
        try Data(#"{"vocab": "/from/file/cl100k_base.tiktoken"}"#.utf8).write(to: URL(fileURLWithPath: file))
        let fromFile = try await DaemonSettings.resolve(flags: [:], environment: [:], file: file)
        XCTAssertEqual(fromFile.vocab, "/from/file/cl100k_base.tiktoken")
        let environment = ["PARLEY_VOCAB": "/from/env/cl100k_base.tiktoken"]
        let fromEnvironment = try await DaemonSettings.resolve(flags: [:], environment: environment, file: file)
        XCTAssertEqual(fromEnvironment.vocab, "/from/env/cl100k_base.tiktoken")
        let fromFlag = try await DaemonSettings.resolve(flags: [.vocab: .text("/flag.tiktoken")], environment: environment, file: file)
        XCTAssertEqual(fromFlag.vocab, "/flag.tiktoken")
        let fromNone = try await DaemonSettings.resolve(flags: [:], environment: [:], file: nil)
        XCTAssertNil(fromNone.vocab, "nil: the default path")
    }

    func testWrongTypeNamesFlagVariableAndFile() async throws {
        try Data(#"{"idle-timeout": "soon"}"#.utf8).write(to: URL(fileURLWithPath: file))
        do {
            _ = try await DaemonSettings.resolve(flags: [:], environment: ["PARLEY_MAX_IN_FLIGHT": "lots"], file: nil)
            XCTFail("a word for a number was accepted")
        } catch {
            XCTAssertTrue("\(error)".contains("--max-in-flight (or PARLEY_MAX_IN_FLIGHT)"), "\(error)")
        }
        do {
            _ = try await DaemonSettings.resolve(flags: [:], environment: [:], file: file)
            XCTFail("a word for a number was accepted")
        } catch {
            XCTAssertTrue("\(error)".contains("\"idle-timeout\" in \(file)"), "\(error)")
        }
    }

    func testMissingFileIsAnError() async throws {
        do {
            _ = try await DaemonSettings.resolve(flags: [:], environment: [:], file: file + ".absent")
            XCTFail("a missing configuration file was ignored")
        } catch {
            XCTAssertTrue("\(error)".contains("cannot read the configuration file"), "\(error)")
        }
    }
}
