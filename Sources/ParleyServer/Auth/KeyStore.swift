import Foundation
import ParleyCore

/// API keys, kept only as SHA-256 digests in `<data-dir>/api-keys`.
///
/// On first start with no key file, a random admin key is made, its digest stored, and the
/// key itself written to `<data-dir>/admin.key` with mode 0600 so the local operator (and
/// the `parley` CLI on the same machine) can read it. Nobody else ever sees the secret.
public final class KeyStore: @unchecked Sendable {
    public static let keyFileName = "admin.key"
    static let digestFileName = "api-keys"

    private let entries: [String: Principal]

    /// Where a newly created admin key was written, nil when the keys already existed.
    public let createdAdminKeyPath: String?

    public init(dataDirectory: String) throws {
        let digestPath = (dataDirectory as NSString).appendingPathComponent(KeyStore.digestFileName)
        let fm = FileManager.default
        if fm.fileExists(atPath: digestPath) {
            createdAdminKeyPath = nil
        } else {
            let key = KeyStore.newKey()
            let keyPath = (dataDirectory as NSString).appendingPathComponent(KeyStore.keyFileName)
            try KeyStore.writePrivate(key + "\n", to: keyPath)
            try KeyStore.writePrivate("\(SHA256.hex(Array(key.utf8))) admin -\n", to: digestPath)
            createdAdminKeyPath = keyPath
        }
        let text: String
        do {
            text = try String(contentsOfFile: digestPath, encoding: .utf8)
        } catch {
            throw ServerError.configuration("cannot read the key file \(digestPath): \(error.localizedDescription)")
        }
        var entries: [String: Principal] = [:]
        for (n, line) in text.split(separator: "\n").enumerated() {
            let parts = line.split(separator: " ").map(String.init)
            guard parts.count == 3, parts[0].count == 64, let role = Principal.Role(rawValue: parts[1]) else {
                throw ServerError.configuration("\(digestPath) line \(n + 1): expected \"<sha256-hex> <role> <organization or ->\"")
            }
            entries[parts[0]] = Principal(role: role, organizationID: parts[2] == "-" ? "" : parts[2])
        }
        self.entries = entries
    }

    /// The principal a key stands for, nil for an unknown key.
    public func authenticate(_ key: String) -> Principal? {
        guard !key.isEmpty else { return nil }
        let digest = SHA256.hex(Array(key.utf8))
        // Compare every stored digest in full so timing does not reveal a near match.
        var found: Principal?
        for (stored, principal) in entries where constantTimeEqual(stored, digest) {
            found = principal
        }
        return found
    }

    private func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var diff: UInt8 = 0
        for i in 0..<x.count { diff |= x[i] ^ y[i] }
        return diff == 0
    }

    private static func newKey() -> String {
        var rng = SystemRandomNumberGenerator()
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        return "pk_" + String((0..<40).map { _ in alphabet[Int(rng.next(upperBound: UInt32(alphabet.count)))] })
    }

    private static func writePrivate(_ text: String, to path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard fd >= 0 else { throw ServerError.configuration("cannot create \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == bytes.count, fsync(fd) == 0 else {
            throw ServerError.configuration("cannot write \(path): \(String(cString: strerror(errno)))")
        }
    }
}
