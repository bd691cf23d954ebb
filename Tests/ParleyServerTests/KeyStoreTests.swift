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
        let line = digests.split(separator: " ").map(String.init)
        XCTAssertEqual(line.count, 7, digests)
        XCTAssertEqual(line[1], KeyStore.digest(key))
        XCTAssertEqual(Array(line[2...3]), ["admin", "-"], "the first key is a global admin key")

        let principal = try XCTUnwrap(first.authenticate(key))
        XCTAssertEqual(principal.role, .admin)
        XCTAssertTrue(principal.isGlobalAdmin)
        XCTAssertNil(first.authenticate(key + "x"))
        XCTAssertNil(first.authenticate(""))

        let second = try KeyStore(dataDirectory: dir)
        XCTAssertNil(second.createdAdminKeyPath, "a restart keeps the key")
        XCTAssertNotNil(second.authenticate(key))
    }

    func testDigestMatchesKnownVectors() {
        XCTAssertEqual(KeyStore.digest(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(KeyStore.digest("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    func testCreatedKeysSurviveARestartAndRevocationIsDurable() throws {
        let dir = NSTemporaryDirectory() + "parley-keys-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try KeyStore(dataDirectory: dir)
        let (ingest, secret) = try store.create(role: .ingest, organizationID: "org a", label: "chat backend")
        XCTAssertEqual(store.authenticate(secret), Principal(keyID: ingest.keyID, role: .ingest, organizationID: "org a"))
        let text = try String(contentsOfFile: dir + "/api-keys", encoding: .utf8)
        XCTAssertFalse(text.contains(secret), "the secret is shown once, never stored")
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/api-keys.tmp"))

        let reopened = try KeyStore(dataDirectory: dir)
        XCTAssertEqual(reopened.key(id: ingest.keyID)?.label, "chat backend", "labels with spaces survive the file")
        XCTAssertEqual(reopened.key(id: ingest.keyID)?.organizationID, "org a")
        XCTAssertNotNil(reopened.authenticate(secret))
        XCTAssertEqual(try reopened.revoke(keyID: ingest.keyID)?.isActive, false)
        XCTAssertNil(reopened.authenticate(secret))
        XCTAssertFalse(reopened.isActive(keyID: ingest.keyID))

        let (dash, _) = try reopened.create(role: .read, organizationID: "org b", label: "-")
        XCTAssertEqual(try KeyStore(dataDirectory: dir).key(id: dash.keyID)?.label, "-", "a label of just \"-\" is not read back as none")
        let again = try KeyStore(dataDirectory: dir)
        XCTAssertNil(again.authenticate(secret), "a revoked key stays revoked after a restart")
        XCTAssertEqual(again.list().count, 3)
        XCTAssertEqual(again.list(organizationID: "org a").map(\.keyID), [ingest.keyID])
    }

    func testTheFirstKeyFileFormatStillReads() throws {
        let dir = NSTemporaryDirectory() + "parley-keys-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "\(KeyStore.digest("pk_old")) admin -\n".write(toFile: dir + "/api-keys", atomically: true, encoding: .utf8)
        let store = try KeyStore(dataDirectory: dir)
        XCTAssertEqual(store.authenticate("pk_old")?.isGlobalAdmin, true)
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
