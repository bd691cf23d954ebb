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
        (46, "StreamBackup"), (47, "CaptureLeads"), (48, "RecordFeedbackBatch"),
    ]

    func testProtocCsServiceMatchesThePinnedTable() {
        XCTAssertEqual(DescriptorCatalog.methods.map(\.name), Self.pinned.map(\.1))
    }

    func testSwiftMethodsMatchThePinnedTable() {
        XCTAssertEqual(Method.allCases.map(\.id), Self.pinned.map(\.0))
        XCTAssertEqual(Method.allCases.map(\.name), Self.pinned.map(\.1))
    }

    func testTypedMethodsCarryTheDescriptorsTypes() {
        XCTAssertEqual(ParleyRPC.table.map(\.method), Method.allCases)
        let described = DescriptorCatalog.methods
        XCTAssertEqual(described.count, ParleyRPC.table.count)
        for (entry, d) in zip(ParleyRPC.table, described) {
            XCTAssertEqual(entry.request.protoName, d.request, entry.method.name)
            XCTAssertEqual(entry.response.protoName, d.response, entry.method.name)
        }
        XCTAssertEqual(ParleyRPC.logTurn.method, .logTurn)
        XCTAssertEqual(ParleyRPC.table.first { $0.method == .logTurn }?.request.protoName, "parley.v1.Turn")
        XCTAssertEqual(ParleyRPC.table.first { $0.method == .logTurn }?.response.protoName, "parley.v1.LogTurnResponse")
        XCTAssertEqual(ParleyRPC.check.method.kind, .serverStreaming)
    }
}
