import Crypto
import Foundation
import NIOConcurrencyHelpers

/// API keys, kept only as SHA-256 digests in `<data-dir>/api-keys`.
///
/// A file of its own rather than a tree in the store: revocation is written and in force
/// before the RPC answers (no writer queue in between), and restoring a database backup
/// can never bring a revoked key back. Every change rewrites the file atomically (temporary
/// file, fsync, rename, fsync of the directory), so a crash leaves the old or the new set.
///
/// One KeyStore per data directory: parleyd opens the database (which is locked) right after
/// the keys, so a second parleyd on the same directory stops before it writes the file.
///
/// On first start with no key file, a random admin key is made, its digest stored as the
/// first global admin key, and the secret written to `<data-dir>/admin.key` with mode 0600
/// so the local operator (and the `parley` CLI on the same machine) can read it.
public final class KeyStore: Sendable {
    public static let keyFileName = "admin.key"
    static let digestFileName = "api-keys"

    private let path: String
    /// The keys, in creation order; the lock also serializes rewrites of the file.
    private let keys: NIOLockedValueBox<[ApiKey]>

    /// Where a newly created admin key was written, nil when the keys already existed.
    public let createdAdminKeyPath: String?

    public init(dataDirectory: String) throws {
        let path = (dataDirectory as NSString).appendingPathComponent(KeyStore.digestFileName)
        self.path = path
        if FileManager.default.fileExists(atPath: path) {
            createdAdminKeyPath = nil
            keys = NIOLockedValueBox(try Self.read(path))
        } else {
            let secret = Self.newSecret()
            let keyPath = (dataDirectory as NSString).appendingPathComponent(KeyStore.keyFileName)
            try Self.writePrivate(secret + "\n", to: keyPath)
            let first = ApiKey(keyID: Self.newKeyID(), digest: Self.digest(secret), role: .admin, organizationID: "",
                               label: "first start", createdAtMs: Self.nowMs(), revokedAtMs: nil)
            try Self.writeAtomically([first], to: path)
            createdAdminKeyPath = keyPath
            keys = NIOLockedValueBox([first])
        }
    }

    /// The principal an active key stands for, nil for an unknown or revoked key.
    public func authenticate(_ secret: String) -> Principal? {
        guard !secret.isEmpty else { return nil }
        let digest = Array(Self.digest(secret).utf8)
        // Compare with every stored digest in full so timing reveals neither a near match
        // nor which key matched.
        var found: Principal?
        for key in keys.withLockedValue({ $0 }) where Self.constantTimeEqual(Array(key.digest.utf8), digest) && key.isActive {
            found = key.principal
        }
        return found
    }

    /// False once the key was revoked: open connections check this before every call.
    public func isActive(keyID: String) -> Bool {
        keys.withLockedValue { $0.contains { $0.keyID == keyID && $0.isActive } }
    }

    /// Makes a key; the secret is returned here once and never stored.
    public func create(role: Principal.Role, organizationID: String, label: String) throws -> (key: ApiKey, secret: String) {
        let secret = Self.newSecret()
        let key = ApiKey(keyID: Self.newKeyID(), digest: Self.digest(secret), role: role, organizationID: organizationID,
                         label: label, createdAtMs: Self.nowMs(), revokedAtMs: nil)
        try keys.withLockedValue { keys in
            try Self.writeAtomically(keys + [key], to: path)
            keys.append(key)
        }
        return (key, secret)
    }

    /// Every key, or those of one organization (global keys have organization "").
    public func list(organizationID: String? = nil) -> [ApiKey] {
        keys.withLockedValue { keys in keys.filter { organizationID == nil || $0.organizationID == organizationID } }
    }

    public func key(id: String) -> ApiKey? {
        keys.withLockedValue { keys in keys.first { $0.keyID == id } }
    }

    /// Marks a key revoked (idempotent); in force for every connection's next call.
    @discardableResult
    public func revoke(keyID: String) throws -> ApiKey? {
        try keys.withLockedValue { keys in
            guard let i = keys.firstIndex(where: { $0.keyID == keyID }) else { return nil }
            guard keys[i].isActive else { return keys[i] }
            var next = keys
            next[i].revokedAtMs = Self.nowMs()
            try Self.writeAtomically(next, to: path)
            keys = next
            return keys[i]
        }
    }

    // MARK: secrets and digests

    static func digest(_ secret: String) -> String {
        Crypto.SHA256.hash(data: Array(secret.utf8)).map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }

    private static func constantTimeEqual(_ x: [UInt8], _ y: [UInt8]) -> Bool {
        guard x.count == y.count else { return false }
        var diff: UInt8 = 0
        for i in 0..<x.count { diff |= x[i] ^ y[i] }
        return diff == 0
    }

    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")

    private static func random(_ count: Int) -> String {
        var rng = SystemRandomNumberGenerator()
        return String((0..<count).map { _ in alphabet[Int(rng.next(upperBound: UInt32(alphabet.count)))] })
    }

    /// 40 characters of 62: about 238 bits.
    private static func newSecret() -> String { "pk_" + random(40) }

    private static func newKeyID() -> String { "key_" + random(12) }

    private static func nowMs() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

    // MARK: the file

    private static func read(_ path: String) throws -> [ApiKey] {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ServerError.configuration("cannot read the key file \(path): \(error.localizedDescription)")
        }
        var keys: [ApiKey] = []
        for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where !line.isEmpty {
            guard let key = ApiKey(line: line) else {
                throw ServerError.configuration("\(path) line \(n + 1): expected \"<key id> <sha256-hex> <role> <organization or -> <created ms> <revoked ms or -> <label or ->\"")
            }
            keys.append(key)
        }
        return keys
    }

    private static func writeAtomically(_ keys: [ApiKey], to path: String) throws {
        let temporary = path + ".tmp"
        try writePrivate(keys.map { $0.line + "\n" }.joined(), to: temporary)
        guard rename(temporary, path) == 0 else {
            throw ServerError.configuration("cannot replace \(path): \(String(cString: strerror(errno)))")
        }
        // The rename is durable only once the directory is synced.
        let dir = open((path as NSString).deletingLastPathComponent, O_RDONLY)
        if dir >= 0 {
            _ = fsync(dir)
            close(dir)
        }
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
