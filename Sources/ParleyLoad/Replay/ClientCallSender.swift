import NIOConcurrencyHelpers
import ParleyClient
import ParleyWire

/// Sends replayed frames over real connections: replay connection n is `clients[n]`,
/// each one TCP connection after a HELLO with the replay's key. A status other than OK
/// is an answer; a connection that cannot answer is a transport failure. LogTurn answers
/// are counted by outcome, so a replay says how many turns were new.
public final class ClientCallSender: CallSender {
    public let clients: [ParleyClient]
    private let outcomes = NIOLockedValueBox(LogTurnOutcomes())

    public init(clients: [ParleyClient]) {
        self.clients = clients
    }

    public func send(_ frame: Frame, connection: Int) async throws -> CallAnswer {
        do {
            let body = try await clients[connection].rawCall(frame)
            if frame.code == Method.logTurn.id {
                let answer = try? V1.LogTurnResponse(decoding: body)
                outcomes.withLockedValue { $0.count(answer?.outcome) }
            }
            return CallAnswer(status: .ok, body: body)
        } catch let error as RPCError {
            return CallAnswer(status: error.status)
        }
    }

    /// Opens every connection before the clock starts, so a wrong address or key fails
    /// at once and no replayed call pays for a connect.
    public func connectAll() async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for client in clients { group.addTask { try await client.connect() } }
            try await group.waitForAll()
        }
    }

    public func closeAll() async {
        for client in clients { await client.close() }
    }

    /// The LogTurn outcomes counted so far.
    public var logTurnOutcomes: LogTurnOutcomes { outcomes.withLockedValue { $0 } }
}

/// What the server said of the LogTurn calls of a replay.
public struct LogTurnOutcomes: Sendable, Equatable {
    public var stored = 0
    public var duplicates = 0

    mutating func count(_ outcome: V1.WriteOutcome?) {
        switch outcome {
        case .duplicate: duplicates += 1
        case .stored: stored += 1
        default: break
        }
    }
}
