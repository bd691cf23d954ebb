import Foundation
import ParleyClient
import ParleyCore
import ParleyServer
import ParleyWire
import XCTest

/// Keys made over RPC: Welcome tells their real role and organization, and a revoked
/// key's open connection is refused at its very next call.
final class KeyRevocationTests: XCTestCase {
    func testWelcomeReportsTheKeysRoleAndOrganization() async throws {
        let harness = try await ServerHarness.startWithStore()
        let admin = harness.client()
        let welcomeOfAdmin = try await admin.connect()
        XCTAssertEqual(welcomeOfAdmin.role, "admin")
        XCTAssertEqual(welcomeOfAdmin.organizationID, "", "the first key is global")
        let made = try await admin.createKey(V1.CreateKeyRequest(role: .read, organizationID: "org-w", label: "dashboards"))
        let reader = harness.client(key: try XCTUnwrap(made.secret))
        let welcome = try await reader.connect()
        XCTAssertEqual(welcome.role, "read")
        XCTAssertEqual(welcome.organizationID, "org-w")
        await reader.close()
        await admin.close()
        await harness.stop()
    }

    func testRevocationTakesEffectOnAnOpenConnectionAtItsNextCall() async throws {
        let harness = try await ServerHarness.startWithStore()
        let admin = harness.client()
        let made = try await admin.createKey(V1.CreateKeyRequest(role: .ingest, organizationID: "org-r"))
        let keyID = try XCTUnwrap(made.info?.keyID)
        let ingest = harness.client(key: try XCTUnwrap(made.secret))
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        func turn(_ id: String) -> V1.Turn {
            Turn(turnId: id, organizationId: "org-r", sessionId: "s-1", contactId: "c-1", model: "gpt-4o", userMessage: "q",
                 aiResponse: "a", tokens: TokenCounts(input: 1, output: 1), userMessageAt: now - 5_000, repliedAt: now - 4_000).wire
        }
        _ = try await ingest.logTurn(turn("t-1"))

        _ = try await admin.revokeKey(V1.RevokeKeyRequest(keyID: keyID))
        do {
            _ = try await ingest.logTurn(turn("t-2"))
            XCTFail("a revoked key's open connection must not be served")
        } catch let e as RPCError {
            XCTAssertEqual(e.status, .unauthenticated)
            XCTAssertTrue(e.message.contains("revoked"), e.message)
        }
        let listed = try await admin.listKeys(V1.ListKeysRequest(organizationID: "org-r")).keys
        XCTAssertEqual(listed.map(\.keyID), [keyID])
        XCTAssertNotNil(listed.first?.revokedAtMs)
        // A new connection with the revoked key is refused at HELLO.
        let again = harness.client(key: try XCTUnwrap(made.secret))
        do {
            _ = try await again.connect()
            XCTFail("a revoked key must not pass HELLO")
        } catch {}
        do {
            _ = try await admin.getTurn(V1.TurnKey(organizationID: "org-r", turnID: "t-2"))
            XCTFail("the refused write happened")
        } catch let e as RPCError {
            XCTAssertEqual(e.status, .notFound)
        }
        await again.close()
        await ingest.close()
        await admin.close()
        await harness.stop()
    }

    func testAnOrganizationAdminCannotMakeGlobalKeysNorSeeOtherOrganizationsKeys() async throws {
        let harness = try await ServerHarness.startWithStore()
        let admin = harness.client()
        let orgAdminKey = try await admin.createKey(V1.CreateKeyRequest(role: .admin, organizationID: "org-a"))
        let other = try await admin.createKey(V1.CreateKeyRequest(role: .read, organizationID: "org-b"))
        let orgAdmin = harness.client(key: try XCTUnwrap(orgAdminKey.secret))
        do {
            _ = try await orgAdmin.createKey(V1.CreateKeyRequest(role: .admin, organizationID: ""))
            XCTFail("an organization's admin made a global key")
        } catch let e as RPCError {
            XCTAssertEqual(e.status, .permissionDenied)
        }
        let mine = try await orgAdmin.createKey(V1.CreateKeyRequest(role: .ingest, label: "defaults to my organization"))
        XCTAssertEqual(mine.info?.organizationID, "org-a")
        let visible = try await orgAdmin.listKeys(V1.ListKeysRequest()).keys
        XCTAssertEqual(Set(visible.compactMap(\.organizationID)), ["org-a"])
        do {
            _ = try await orgAdmin.revokeKey(V1.RevokeKeyRequest(keyID: try XCTUnwrap(other.info?.keyID)))
            XCTFail("an organization's admin revoked another organization's key")
        } catch let e as RPCError {
            XCTAssertEqual(e.status, .permissionDenied)
            XCTAssertFalse(e.message.contains(other.info?.keyID ?? "-"), e.message)
        }
        await orgAdmin.close()
        await admin.close()
        await harness.stop()
    }
}
