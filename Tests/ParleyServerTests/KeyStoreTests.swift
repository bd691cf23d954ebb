import Foundation
@testable import ParleyServer
import ParleyCore
import XCTest

/// First start makes an admin key: the secret goes only to admin.key (mode 0600), the key
/// file keeps its SHA-256, a second start keeps it, and no other key is accepted.
final class KeyStoreTests: XCTestCase {
    func testFirstStartCreatesAPrivateAdminKeyAndStoresOnlyItsDigest() throws {
        let dir = NSTemporaryDirectory() + "parley-keys-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }

        let first = try KeyStore(dataDirectory: dir)
        XCTAssertEqual(first.createdAdminKeyPath, dir + "/admin.key")
        let key = try String(contentsOfFile: dir + "/admin.key", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertTrue(key.hasPrefix("pk_"))
        XCTAssertGreaterThanOrEqual(key.count, 40)
        let mode = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: dir + "/admin.key")[.posixPermissions] as? Int)
        XCTAssertEqual(mode & 0o777, 0o600)

        let digests = try String(contentsOfFile: dir + "/api-keys", encoding: .utf8)
        XCTAssertFalse(digests.contains(key), "the secret itself is never stored in the key file")
        XCTAssertTrue(digests.hasPrefix(SHA256.hex(Array(key.utf8)) + " admin -"))

        XCTAssertEqual(first.authenticate(key), Principal(role: .admin, organizationID: ""))
        XCTAssertNil(first.authenticate(key + "x"))
        XCTAssertNil(first.authenticate(""))

        let second = try KeyStore(dataDirectory: dir)
        XCTAssertNil(second.createdAdminKeyPath, "a restart keeps the key")
        XCTAssertNotNil(second.authenticate(key))
    }

    func testSHA256MatchesKnownVectors() {
        XCTAssertEqual(SHA256.hex([]), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(SHA256.hex(Array("abc".utf8)), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(SHA256.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)),
                       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    func testMalformedKeyFileIsAClearError() throws {
        let dir = NSTemporaryDirectory() + "parley-keys-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "not a key line\n".write(toFile: dir + "/api-keys", atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try KeyStore(dataDirectory: dir)) { error in
            XCTAssertTrue("\(error)".contains("line 1"), "\(error)")
        }
    }
}
