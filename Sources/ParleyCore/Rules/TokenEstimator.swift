/// Estimates token counts when the caller has none.
///
/// Rule: each CJK character (Han, kana, Hangul, and full-width forms) counts as one
/// token, because BPE vocabularies rarely merge them; every other character contributes
/// its UTF-8 bytes, and those bytes count one token per 4 started (ceil(bytes / 4)),
/// the usual figure for Latin text. Deterministic, so a retried turn estimates the same.
public enum TokenEstimator {
    public static func estimate(_ text: String) -> Int64 {
        var cjk: Int64 = 0
        var otherBytes: Int64 = 0
        for scalar in text.unicodeScalars {
            if isCJK(scalar) {
                cjk += 1
            } else {
                otherBytes += Int64(UTF8.width(scalar))
            }
        }
        return cjk + (otherBytes + 3) / 4
    }

    static func isCJK(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x3040...0x30FF,   // Hiragana, Katakana
             0x3400...0x4DBF,   // CJK Extension A
             0x4E00...0x9FFF,   // CJK Unified Ideographs
             0xAC00...0xD7AF,   // Hangul syllables
             0xF900...0xFAFF,   // CJK compatibility ideographs
             0xFF00...0xFFEF,   // Half- and full-width forms
             0x20000...0x2FA1F: // CJK Extensions B..F and supplements
            return true
        default:
            return false
        }
    }
}
