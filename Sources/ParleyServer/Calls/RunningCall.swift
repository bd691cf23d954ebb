import NIOConcurrencyHelpers
import NIOCore
import ParleyWire

/// A call the executor started and has not answered yet. It is answered exactly once:
/// by its handler's result, its deadline, or the client's cancel, whichever comes first;
/// the others find it answered and do nothing.
public final class RunningCall: Sendable {
    public var callID: UInt32 { request.callID }
    private let request: CallRequest
    private let executor: CallExecutor
    private let responder: any CallResponder

    private struct State {
        var answered = false
        var task: Task<Void, Never>?
        var timer: Scheduled<Void>?
    }
    /// Taken once by whichever of result, deadline, cancel or abandon comes first.
    private let state = NIOLockedValueBox(State())

    init(request: CallRequest, executor: CallExecutor, responder: any CallResponder) {
        self.request = request
        self.executor = executor
        self.responder = responder
    }

    func attach(task: Task<Void, Never>, timer: Scheduled<Void>?) {
        let late = state.withLockedValue { s -> Bool in
            s.task = task
            s.timer = timer
            return s.answered
        }
        if late {
            task.cancel()
            timer?.cancel()
        }
    }

    /// The client cancelled: answers 1 CANCELLED and cancels the work. Call it on the
    /// call's event loop.
    public func cancel() {
        complete(.failure(RPCError(.cancelled, "cancelled by the client")))
    }

    /// The transport is gone: the work is cancelled and nothing is answered.
    public func abandon() {
        guard let s = take() else { return }
        s.task?.cancel()
        s.timer?.cancel()
        executor.statistics.metrics.callEnded()
    }

    /// Runs on the call's event loop.
    func complete(_ result: Result<(any WireMessage)?, RPCError>) {
        guard let s = take() else { return }
        s.timer?.cancel()
        if case .failure(let error) = result, error.status == .cancelled || error.status == .deadlineExceeded {
            s.task?.cancel()
        }
        executor.statistics.metrics.callEnded()
        responder.answer(executor.answer(request, result))
    }

    private func take() -> State? {
        state.withLockedValue { s in
            guard !s.answered else { return nil }
            s.answered = true
            return s
        }
    }
}
