/// Who a connection is, once its HELLO key was accepted.
public struct Principal: Sendable, Equatable {
    public enum Role: String, Sendable {
        case admin
    }
    public var role: Role
    /// Empty: the key may act for every organization.
    public var organizationID: String
}
