import XCTest
@testable import ParleyWire

/// Method ids never move: this table is the contract with every client ever written.
/// Adding a method appends a line; changing a line is a breaking change.
final class MethodTableTests: XCTestCase {
    static let pinned: [(UInt16, String)] = [
        (1, "ServerInfo"), (2, "LogTurn"), (3, "LogTurns"), (4, "LogMessage"), (5, "UpsertDevice"),
        (6, "GetDevice"), (7, "UpsertContact"), (8, "GetContact"), (9, "UpsertPersona"), (10, "GetPersona"),
        (11, "UpsertWidget"), (12, "GetWidget"), (13, "CaptureLead"), (14, "RecordFeedback"), (15, "GetTurn"),
        (16, "GetSessionMetrics"), (17, "ListSessionMetrics"), (18, "CountSessionMetrics"),
        (19, "BackfillSessionMetrics"), (20, "SetPrice"), (21, "ListPrices"), (22, "DeletePrice"), (23, "Usage"),
        (24, "ReportDevices"), (25, "ReportModels"), (26, "ReportDaily"), (27, "ReportPersonas"),
        (28, "ReportContacts"), (29, "ReportHourly"), (30, "ContactThread"), (31, "ReportSessions"),
        (32, "ReportConversion"), (33, "RetainDetail"), (34, "RepairTokens"), (35, "Check"), (36, "Stats"),
        (37, "ExportTurns"), (38, "ExportMessages"), (39, "Backup"), (40, "LogMessages"),
        (41, "UpsertDirectory"), (42, "CountTokens"), (43, "CreateKey"), (44, "ListKeys"), (45, "RevokeKey"),
        (46, "StreamBackup"),
    ]

    func testGeneratedServiceMatchesThePinnedTable() {
        XCTAssertEqual(Method.descriptorNames, Self.pinned.map(\.1))
    }

    func testSwiftMethodsMatchThePinnedTable() {
        XCTAssertEqual(Method.allCases.map(\.id), Self.pinned.map(\.0))
        XCTAssertEqual(Method.allCases.map(\.name), Self.pinned.map(\.1))
    }

    func testEveryMethodHasRequestAndResponseTypes() {
        XCTAssertEqual(Method.logTurn.requestType.name, "parley.v1.Turn")
        XCTAssertEqual(Method.logTurn.responseType.name, "parley.v1.LogTurnResponse")
        XCTAssertEqual(Method.check.responseType.name, "parley.v1.Progress")
        for m in Method.allCases {
            XCTAssertFalse(m.requestType.name.isEmpty)
            XCTAssertFalse(m.responseType.name.isEmpty)
        }
    }

    func testTypedMethodsCarryTheDescriptorsTypes() {
        XCTAssertEqual(ParleyRPC.table.map(\.method), Method.allCases)
        for entry in ParleyRPC.table {
            XCTAssertEqual(entry.request.protoName, entry.method.requestType.name, entry.method.name)
            XCTAssertEqual(entry.response.protoName, entry.method.responseType.name, entry.method.name)
        }
        XCTAssertEqual(ParleyRPC.logTurn.method, .logTurn)
        XCTAssertEqual(ParleyRPC.check.method.kind, .serverStreaming)
    }
}
