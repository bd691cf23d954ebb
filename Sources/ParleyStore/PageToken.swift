import ParleyCore

/// The opaque continuation of a session listing: the (conversation start, session) of
/// the last session returned, hex-encoded. Tokens carry no organization, so a token is
/// only ever a position inside the caller's own organization.
struct PageToken {
    static let prefix = "s1."

    let start: Millis
    let session: String

    var encoded: String {
        var key = KeyEncoder()
        key.append(start)
        key.append(session)
        return Self.prefix + Self.hex(key.bytes)
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef")
        return String(bytes.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0x0F)]] })
    }

    /// The bytes of `token` after `prefix`, or nil when it is not prefix + lowercase hex.
    static func bytes(of token: String, prefix: String) -> [UInt8]? {
        guard token.hasPrefix(prefix) else { return nil }
        let hex = Array(token.utf8.dropFirst(prefix.utf8.count))
        guard hex.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(hex.count / 2)
        for index in stride(from: 0, to: hex.count, by: 2) {
            guard let high = nibble(hex[index]), let low = nibble(hex[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
        }
        return bytes
    }

    init(start: Millis, session: String) {
        self.start = start
        self.session = session
    }

    init(parsing token: String) throws(StoreError) {
        let problem = StoreError.invalid(field: "page_token", "is not a token this server issued; pass next_page_token from the previous page unchanged, or leave it empty for the first page")
        guard let bytes = Self.bytes(of: token, prefix: Self.prefix) else { throw problem }
        var decoder = KeyDecoder(bytes)
        do {
            start = try decoder.readInt64()
            session = try decoder.readString()
            try decoder.finish()
        } catch {
            throw problem
        }
    }

    private static func nibble(_ ascii: UInt8) -> UInt8? {
        switch ascii {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return ascii - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return ascii - UInt8(ascii: "a") + 10
        default: return nil
        }
    }
}
