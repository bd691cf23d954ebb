import Foundation
import NIOCore
import ParleyClient
import ParleyCore
@testable import ParleyServer
import ParleyWire
import XCTest
import ParleyTestSupport

/// Every RPC x {ingest, read, admin of org A, global admin} x {own organization, org B}:
/// allowed cells work, the others answer 7 PERMISSION_DENIED, and no answer of a key of
/// organization A carries anything of organization B (its id, its turn, its key id).
final class PermissionMatrixTests: XCTestCase {
    static let orgA = "org-alpha"
    static let orgB = "org-bravo"
    /// Ids only organization B holds; none may appear in an answer to a key of A.
    static let secretsOfB = ["org-bravo", "turn-bravo-1", "sess-bravo-1", "contact-bravo"]

    enum Caller: String, CaseIterable {
        case ingestA, readA, adminA, globalAdmin
    }

    func testEveryMethodForEveryRoleAndOrganization() async throws {
        let harness = try await ServerHarness.startWithStore()
        let admin = harness.client()
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        _ = try await admin.logTurn(Self.turn(org: Self.orgB, id: "turn-bravo-1", session: "sess-bravo-1", contact: "contact-bravo", at: now - 60_000))
        _ = try await admin.logTurn(Self.turn(org: Self.orgA, id: "turn-alpha-1", session: "sess-alpha-1", contact: "contact-alpha", at: now - 60_000))
        var secrets: [Caller: String] = [.globalAdmin: harness.adminKey]
        for (caller, role) in [(Caller.ingestA, V1.KeyRole.ingest), (.readA, .read), (.adminA, .admin)] {
            let made = try await admin.createKey(V1.CreateKeyRequest(role: role, organizationID: Self.orgA, label: caller.rawValue))
            secrets[caller] = try XCTUnwrap(made.secret)
        }
        let keyOfB = try await admin.createKey(V1.CreateKeyRequest(role: .read, organizationID: Self.orgB))
        let foreignKeyID = try XCTUnwrap(keyOfB.info?.keyID)
        let backupDir = harness.dataDirectory + "/backups"
        try FileManager.default.createDirectory(atPath: backupDir, withIntermediateDirectories: true)

        var denied = 0, allowed = 0, callID: UInt32 = 0
        for caller in Caller.allCases {
            let raw = try harness.raw(timeoutSeconds: 20)
            XCTAssertEqual(try raw.hello(key: secrets[caller] ?? "").code, 0)
            for method in Method.allCases {
                for ownOrg in [true, false] {
                    let org = ownOrg ? Self.orgA : Self.orgB
                    // A key of the named organization for RevokeKey to aim at, so every cell has its own victim.
                    let victim = try await admin.createKey(V1.CreateKeyRequest(role: .read, organizationID: org)).info?.keyID ?? ""
                    callID += 1
                    let body = Self.request(method, org: org, victimKeyID: victim, backupPath: "\(backupDir)/\(callID).db", now: now)
                    try raw.request(method.id, callID: callID, body: body)
                    var frames: [Frame] = []
                    repeat { frames.append(try raw.readFrame()) } while frames.last?.flags.contains(.more) == true
                    let last = frames[frames.count - 1]
                    let cell = "\(method.name) by \(caller) naming \(ownOrg ? "its own organization" : "organization B")"
                    let message = (try? RawConnection.responseMeta(last).message) ?? ""
                    if Self.isAllowed(method, caller: caller, ownOrg: ownOrg) {
                        allowed += 1
                        XCTAssertTrue([StatusCode.ok, .notFound, .unimplemented].map(\.rawValue).contains(last.code),
                                      "\(cell): expected to work, got \(last.code) \(message)")
                    } else if [.logTurns, .logMessages, .upsertDirectory, .captureLeads, .recordFeedbackBatch].contains(method) {
                        // A batch answers per item: each item of a foreign organization is refused with 7.
                        denied += 1
                        let statuses = last.code == 0 ? try Self.itemStatuses(method, last.body) : []
                        XCTAssertTrue(last.code == StatusCode.permissionDenied.rawValue
                                      || (!statuses.isEmpty && statuses.allSatisfy { $0 == UInt32(StatusCode.permissionDenied.rawValue) }),
                                      "\(cell): expected 7 for the call or every item, got \(last.code) \(statuses)")
                    } else if last.code == StatusCode.unimplemented.rawValue {
                        // A method this build does not serve: its organization check lives in the handler to
                        // come, so only a cell the role alone would allow may get here.
                        XCTAssertTrue(Self.isAllowed(method, caller: caller, ownOrg: true), "\(cell): got 12 where the role is refused")
                    } else {
                        denied += 1
                        XCTAssertEqual(last.code, StatusCode.permissionDenied.rawValue, "\(cell): expected 7, got \(last.code) \(message)")
                    }
                    if caller != .globalAdmin {
                        var bytes: [UInt8] = []
                        for f in frames { bytes += Array(f.meta.readableBytesView) + Array(f.body.readableBytesView) }
                        let text = String(decoding: bytes, as: UTF8.self)
                        for secret in Self.secretsOfB + [foreignKeyID] {
                            XCTAssertFalse(text.contains(secret), "\(cell): the answer names \(secret) of organization B")
                        }
                    }
                }
            }
        }
        XCTAssertGreaterThan(allowed, 60)
        XCTAssertGreaterThan(denied, 100)
        await admin.close()
        await harness.stop()
    }

    /// The per-item statuses of a batch method's answer.
    static func itemStatuses(_ method: Method, _ body: ByteBuffer) throws -> [UInt32?] {
        switch method {
        case .logTurns: return try V1.LogTurnsResponse(decoding: body).items.map(\.status)
        case .logMessages: return try V1.LogMessagesResponse(decoding: body).items.map(\.status)
        case .captureLeads: return try V1.CaptureLeadsResponse(decoding: body).items.map(\.status)
        case .recordFeedbackBatch: return try V1.RecordFeedbackBatchResponse(decoding: body).items.map(\.status)
        default: return try V1.UpsertDirectoryResponse(decoding: body).items.map(\.status)
        }
    }

    /// The expected verdict, written out per role rather than derived from `Permission`,
    /// so a wrong table fails here.
    static func isAllowed(_ method: Method, caller: Caller, ownOrg: Bool) -> Bool {
        let writes: Set<Method> = [.logTurn, .logTurns, .logMessage, .logMessages, .captureLead, .recordFeedback,
                                   .upsertDevice, .upsertContact, .upsertPersona, .upsertWidget, .upsertDirectory,
                                   .captureLeads, .recordFeedbackBatch]
        let reads: Set<Method> = [.getDevice, .getContact, .getPersona, .getWidget, .getTurn, .getSessionMetrics,
                                  .listSessionMetrics, .countSessionMetrics, .usage, .reportDevices, .reportModels,
                                  .reportDaily, .reportPersonas, .reportContacts, .reportHourly, .contactThread,
                                  .reportSessions, .reportConversion, .exportTurns, .exportMessages]
        let organizationAdmin: Set<Method> = [.backfillSessionMetrics, .retainDetail, .repairTokens, .createKey, .listKeys, .revokeKey]
        let anyKey: Set<Method> = [.serverInfo, .countTokens, .listPrices]
        if anyKey.contains(method) { return true }
        if caller == .globalAdmin { return true }
        let roleMay: Bool
        switch caller {
        case .ingestA: roleMay = writes.contains(method)
        case .readA: roleMay = reads.contains(method)
        case .adminA: roleMay = writes.contains(method) || reads.contains(method) || organizationAdmin.contains(method)
        case .globalAdmin: roleMay = true
        }
        return roleMay && ownOrg
    }

    static func turn(org: String, id: String, session: String, contact: String, at: Int64) -> V1.Turn {
        Turn(turnId: id, organizationId: org, sessionId: session, contactId: contact, model: "gpt-4o",
             userMessage: "q", aiResponse: "a", tokens: TokenCounts(input: 10, output: 5),
             userMessageAt: at, repliedAt: at + 700).wire
    }

    /// A well-formed request of `method` that names `org` wherever the message can.
    static func request(_ method: Method, org: String, victimKeyID: String, backupPath: String, now: Int64) -> any WireMessage {
        let window = V1.TimeWindow(sinceMs: now - 86_400_000, untilMs: now + 60_000)
        let suffix = String(UInt64.random(in: 0...UInt64.max), radix: 36)
        switch method {
        case .serverInfo, .listPrices, .check, .stats, .streamBackup: return V1.Empty()
        case .logTurn: return turn(org: org, id: "t-\(suffix)", session: "s-\(suffix)", contact: "c-\(suffix)", at: now - 1_000)
        case .logTurns: return V1.LogTurnsRequest(turns: [turn(org: org, id: "t-\(suffix)", session: "s-\(suffix)", contact: "c-\(suffix)", at: now - 1_000)])
        case .logMessage: return message(org, suffix, now)
        case .logMessages: return V1.LogMessagesRequest(messages: [message(org, suffix, now)])
        case .upsertDevice: return V1.Device(organizationID: org, deviceID: "d-\(suffix)", name: "phone")
        case .upsertContact: return V1.Contact(organizationID: org, contactID: "c-\(suffix)", name: "someone")
        case .upsertPersona: return V1.Persona(organizationID: org, personaID: "p-\(suffix)", name: "helper")
        case .upsertWidget: return V1.Widget(organizationID: org, widgetID: "w-\(suffix)", name: "site")
        case .upsertDirectory:
            var row = V1.DirectoryRow()
            row.device = V1.Device(organizationID: org, deviceID: "d-\(suffix)", name: "phone")
            return V1.UpsertDirectoryRequest(rows: [row])
        case .getDevice, .getContact, .getPersona, .getWidget: return V1.EntityKey(organizationID: org, id: "missing")
        case .captureLead: return V1.Lead(organizationID: org, sessionID: "s-\(suffix)", name: "n", email: "n@example.com", capturedAtMs: now)
        case .recordFeedback: return V1.Feedback(organizationID: org, sessionID: "s-\(suffix)", score: 1, givenAtMs: now)
        case .captureLeads:
            return V1.CaptureLeadsRequest(leads: [V1.Lead(organizationID: org, sessionID: "s-\(suffix)", name: "n", email: "n@example.com", capturedAtMs: now)])
        case .recordFeedbackBatch:
            return V1.RecordFeedbackBatchRequest(feedback: [V1.Feedback(organizationID: org, sessionID: "s-\(suffix)", score: 1, givenAtMs: now)])
        case .getTurn: return V1.TurnKey(organizationID: org, turnID: org == orgB ? "turn-bravo-1" : "turn-alpha-1")
        case .getSessionMetrics: return V1.SessionKey(organizationID: org, sessionID: org == orgB ? "sess-bravo-1" : "sess-alpha-1")
        case .listSessionMetrics, .countSessionMetrics: return V1.ListSessionMetricsRequest(organizationID: org, window: window)
        case .backfillSessionMetrics: return V1.BackfillRequest(organizationID: org)
        case .setPrice: return V1.Price(modelPattern: "model-\(suffix)", inputNanosPerMtok: 1, outputNanosPerMtok: 2, effectiveFromMs: 0)
        case .deletePrice: return V1.DeletePriceRequest(modelPattern: "model-none", effectiveFromMs: 0)
        case .usage: return V1.UsageRequest(organizationID: org, window: window)
        case .reportDevices, .reportModels, .reportDaily, .reportPersonas, .reportContacts, .reportHourly,
             .reportSessions, .reportConversion:
            return V1.ReportRequest(organizationID: org, window: window)
        case .contactThread: return V1.ThreadRequest(organizationID: org, contactID: org == orgB ? "contact-bravo" : "contact-alpha")
        case .retainDetail: return V1.RetainRequest(olderThanMs: 1, organizationID: org)
        case .repairTokens: return V1.RepairTokensRequest(organizationID: org)
        case .exportTurns, .exportMessages: return V1.ExportRequest(organizationID: org, window: window)
        case .backup: return V1.BackupRequest(path: backupPath)
        case .countTokens: return V1.CountTokensRequest(texts: ["hello"])
        case .createKey: return V1.CreateKeyRequest(role: .read, organizationID: org)
        case .listKeys: return V1.ListKeysRequest(organizationID: org)
        case .revokeKey: return V1.RevokeKeyRequest(keyID: victimKeyID)
        }
    }

    static func message(_ org: String, _ suffix: String, _ now: Int64) -> V1.Message {
        V1.Message(messageID: "m-\(suffix)", organizationID: org, contactID: "c-\(suffix)", direction: .inbound, content: "hi", createdAtMs: now)
    }
}
