import Foundation

/// One API key as the key file keeps it: the SHA-256 digest of the secret, never the
/// secret, with the key's role, organization and history.
public struct ApiKey: Sendable, Equatable {
    public var keyID: String
    /// Lower-case hex SHA-256 of the secret.
    var digest: String
    public var role: Principal.Role
    /// Empty: global (admin only).
    public var organizationID: String
    public var label: String
    public var createdAtMs: Int64
    /// nil: active.
    public var revokedAtMs: Int64?

    public var isActive: Bool { revokedAtMs == nil }

    public var principal: Principal { Principal(keyID: keyID, role: role, organizationID: organizationID) }

    /// One line of the key file: `<key id> <digest> <role> <organization|-> <created ms>
    /// <revoked ms|-> <label|->`, free text percent-encoded so spaces cannot shift fields.
    var line: String {
        [keyID, digest, role.rawValue, Self.field(organizationID), String(createdAtMs),
         revokedAtMs.map(String.init) ?? "-", Self.field(label)].joined(separator: " ")
    }

    /// Parses a line written by `line`, or a three-field line of the first key-file format
    /// (`<digest> <role> <organization|->`), which predates key ids.
    init?(line: Substring) {
        let parts = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        switch parts.count {
        case 3:
            guard Self.isDigest(parts[0]), let role = Principal.Role(rawValue: parts[1]),
                  let org = Self.unfield(parts[2]) else { return nil }
            // A stable public id for a key that never had one; the digest prefix reveals
            // nothing usable about a 238-bit random secret.
            self.init(keyID: "key_" + parts[0].prefix(12), digest: parts[0], role: role, organizationID: org,
                      label: "", createdAtMs: 0, revokedAtMs: nil)
        case 7:
            guard Self.isDigest(parts[1]), let role = Principal.Role(rawValue: parts[2]),
                  let org = Self.unfield(parts[3]), let created = Int64(parts[4]),
                  let label = Self.unfield(parts[6]) else { return nil }
            let revoked: Int64?
            if parts[5] == "-" { revoked = nil } else if let ms = Int64(parts[5]) { revoked = ms } else { return nil }
            self.init(keyID: parts[0], digest: parts[1], role: role, organizationID: org,
                      label: label, createdAtMs: created, revokedAtMs: revoked)
        default:
            return nil
        }
    }

    init(keyID: String, digest: String, role: Principal.Role, organizationID: String,
         label: String, createdAtMs: Int64, revokedAtMs: Int64?) {
        self.keyID = keyID
        self.digest = digest
        self.role = role
        self.organizationID = organizationID
        self.label = label
        self.createdAtMs = createdAtMs
        self.revokedAtMs = revokedAtMs
    }

    private static let plain = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.:@")

    private static func field(_ text: String) -> String {
        // "-" stands for empty, so a text that is exactly "-" is written encoded.
        if text.isEmpty { return "-" }
        if text == "-" { return "%2D" }
        return text.addingPercentEncoding(withAllowedCharacters: plain) ?? "-"
    }

    private static func unfield(_ text: String) -> String? {
        text == "-" ? "" : text.removingPercentEncoding
    }

    private static func isDigest(_ text: String) -> Bool {
        text.count == 64 && text.allSatisfy { $0.isHexDigit && !$0.isUppercase }
    }
}
