/// What cl100k_base's pre-tokenisation pattern distinguishes about one Unicode scalar.
enum ScalarClass: UInt8 {
    /// \p{L}: general category Lu, Ll, Lt, Lm or Lo.
    case letter
    /// \p{N}: Nd, Nl or No.
    case number
    /// '\r' or '\n', which the pattern names apart from other white space.
    case newline
    /// U+0020, the one optional space before a run of punctuation.
    case space
    /// Any other White_Space scalar (\s): tab, no-break space, U+3000...
    case otherWhitespace
    /// Everything else ([^\s\p{L}\p{N}]): punctuation, symbols, marks, emoji, controls.
    case other

    var isWhitespace: Bool { self == .newline || self == .space || self == .otherWhitespace }

    /// The classes of the 128 ASCII scalars, so ASCII text never asks the Unicode tables.
    static let ascii: [ScalarClass] = (0..<128).map { classify(Unicode.Scalar(UInt8($0))) }

    static func classify(_ scalar: Unicode.Scalar) -> ScalarClass {
        if scalar == "\r" || scalar == "\n" { return .newline }
        if scalar == " " { return .space }
        let properties = scalar.properties
        if properties.isWhitespace { return .otherWhitespace }
        switch properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
            return .letter
        case .decimalNumber, .letterNumber, .otherNumber:
            return .number
        default:
            return .other
        }
    }
}
