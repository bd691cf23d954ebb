/// The identifier rule shared by every record: 1 to 64 characters of [A-Za-z0-9._:@+-].
/// The set excludes separators and control bytes so ids are safe in keys, logs and URLs.
public enum Identifier {
    public static let maxLength = 64
    public static let allowedDescription = "A-Z a-z 0-9 . _ : @ + -"

    public static func isValid(_ value: String) -> Bool {
        problem(with: value) == nil
    }

    /// Why `value` is not a valid id, or nil when it is.
    public static func problem(with value: String) -> String? {
        let bytes = value.utf8
        if bytes.isEmpty { return "is empty; give an id of 1 to \(maxLength) characters of \(allowedDescription)" }
        if let bad = value.unicodeScalars.first(where: { !isAllowed($0) }) {
            return "contains \(describe(bad)), which ids may not; use only \(allowedDescription)"
        }
        if bytes.count > maxLength {
            return "is \(bytes.count) characters; ids are at most \(maxLength)"
        }
        return nil
    }

    private static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "A"..."Z", "a"..."z", "0"..."9", ".", "_", ":", "@", "+", "-": return true
        default: return false
        }
    }

    private static func describe(_ scalar: Unicode.Scalar) -> String {
        if scalar == " " { return "a space" }
        if scalar.isASCII, scalar.value >= 0x21, scalar.value < 0x7F { return "'\(scalar)'" }
        return "U+" + String(scalar.value, radix: 16, uppercase: true)
    }
}
