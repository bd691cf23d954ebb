import NIOCore
import ParleyWire

/// What a handler knows about the call it serves.
public struct CallContext: Sendable {
    public let method: Method
    public let callID: UInt32
    public let metadata: CallMetadata
    public let principal: Principal
    /// When the caller stops waiting; nil for no deadline.
    public let deadline: NIODeadline?
    /// When the server received the call, milliseconds since the epoch (UTC).
    public let receivedAtMs: Int64

    /// Throws DEADLINE_EXCEEDED when the deadline has passed, CANCELLED when the call was
    /// cancelled. Long handlers call this between units of work.
    public func checkStillWanted() throws {
        if let deadline, deadline <= .now() {
            throw RPCError(.deadlineExceeded, "the deadline of \(metadata.timeoutMs) ms passed")
        }
        if Task.isCancelled { throw RPCError(.cancelled, "the call was cancelled") }
    }

    /// Throws PERMISSION_DENIED when the caller's key may not act for `organizationID`.
    public func authorize(organization organizationID: String) throws {
        // The text names no organization: a probing key learns nothing about others.
        guard principal.mayActFor(organization: organizationID) else {
            throw RPCError(.permissionDenied, "this key may not act for the organization the request names")
        }
    }
}
