/// Strings from stored UTF-8 bytes, refusing invalid ones, for `KeyDecoder` and
/// `ByteReader`. `String(validating:as:)` is generic and runs a validation pass of its
/// own: a sixth of a cell scan's time at 10M turns. Ids and most texts are ASCII, which
/// decoding cannot repair, so they are decoded straight and only the rest is validated.
enum UTF8Text {
    static func string(_ utf8: ArraySlice<UInt8>) -> String? {
        if utf8.allSatisfy({ $0 < 0x80 }) { return String(decoding: utf8, as: UTF8.self) }
        return String(validating: utf8, as: UTF8.self)
    }
}
