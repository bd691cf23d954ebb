import Foundation

/// A CA, a server certificate it signed (for 127.0.0.1, ::1 and localhost) and an
/// unrelated CA, made fresh by Tools/make-test-certs in a temporary directory: valid for
/// two days from now, so no test certificate ever expires in the repository.
struct TestCertificates {
    let directory: String
    var caFile: String { directory + "/ca.pem" }
    var otherCAFile: String { directory + "/other-ca.pem" }
    var serverCertificate: String { directory + "/server.pem" }
    var serverKey: String { directory + "/server.key" }

    struct MakeFailed: Error, CustomStringConvertible {
        let description: String
    }

    static func make() throws -> TestCertificates {
        let directory = NSTemporaryDirectory() + "parley-certs-\(UUID().uuidString)"
        // Tests/ParleyServerTests/Support/ -> the repository root.
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let process = Process()
        process.executableURL = root.appendingPathComponent("Tools/make-test-certs")
        process.arguments = [directory]
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            throw MakeFailed(description: "Tools/make-test-certs failed (\(process.terminationStatus)): \(text)")
        }
        return TestCertificates(directory: directory)
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: directory)
    }
}
