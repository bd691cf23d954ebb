/// Who a connection is, once its HELLO key was accepted: the key's id, role and binding.
public struct Principal: Sendable, Equatable {
    /// What a key may do; `Permission` says which methods each role reaches.
    public enum Role: String, Sendable, CaseIterable {
        /// Writes turns, messages, leads, feedback and directory rows of its organization.
        case ingest
        /// Reads reports, threads, sessions and exports of its organization.
        case read
        /// Everything of its organization; with no organization, everything of every one.
        case admin
    }

    /// The key's public id (safe to log and show), never the secret.
    public var keyID: String
    public var role: Role
    /// Empty: a global key (admin only) that may act for every organization.
    public var organizationID: String

    public init(keyID: String, role: Role, organizationID: String) {
        self.keyID = keyID
        self.role = role
        self.organizationID = organizationID
    }

    /// An admin key bound to no organization: prices, keys, backup, check for all.
    public var isGlobalAdmin: Bool { role == .admin && organizationID.isEmpty }

    /// True when the key may act for `organizationID`.
    public func mayActFor(organization organizationID: String) -> Bool {
        self.organizationID.isEmpty || self.organizationID == organizationID
    }
}
