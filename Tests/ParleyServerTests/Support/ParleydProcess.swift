import Foundation
import XCTest

/// A real parleyd child process on 127.0.0.1 and a port it picked itself (the bound
/// address is read from its log), for tests that kill it or signal it.
final class ParleydProcess {
    let process = Process()
    let dataDirectory: String
    private(set) var port = 0
    private let stderr = Pipe()

    init(dataDirectory: String) throws {
        self.dataDirectory = dataDirectory
        process.executableURL = try Self.binary()
        process.arguments = ["--listen", "127.0.0.1:0", "--data-dir", dataDirectory, "--log-level", "info"]
        process.standardError = stderr
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        port = try waitForListeningPort()
    }

    var adminKey: String {
        (try? String(contentsOfFile: dataDirectory + "/admin.key", encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
    }

    func kill9() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// SIGTERM and the exit status.
    func terminate() -> Int32 {
        process.terminate()
        process.waitUntilExit()
        return process.terminationStatus
    }

    deinit {
        if process.isRunning { kill9() }
    }

    private func waitForListeningPort() throws -> Int {
        let handle = stderr.fileHandleForReading
        var text = ""
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
            if let range = text.range(of: #"address=127\.0\.0\.1:(\d+)"#, options: .regularExpression) {
                let digits = text[range].split(separator: ":").last.map(String.init) ?? ""
                if let port = Int(digits) {
                    // Keep draining the log so parleyd never blocks on a full pipe.
                    handle.readabilityHandler = { _ = $0.availableData }
                    return port
                }
            }
        }
        throw XCTSkip("parleyd did not report a listening address; its log said: \(text)")
    }

    static func binary() throws -> URL {
        let exe = URL(fileURLWithPath: CommandLine.arguments[0])
        for dir in [exe.deletingLastPathComponent(), Bundle.main.bundleURL, Bundle.main.bundleURL.deletingLastPathComponent()] {
            let candidate = dir.appendingPathComponent("parleyd")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        throw XCTSkip("parleyd is not built next to the test bundle (swift build --build-tests builds it)")
    }
}
