/// A cost in US dollars per token, as price catalogs write it ("2.5e-06"), converted
/// exactly to Price's unit, nano-dollars per 1M tokens (the decimal point moves 15
/// places), by working on the number's digits: no Double ever holds it.
public enum PerTokenCost {
    public enum Conversion: Sendable, Equatable {
        /// The exact value.
        case exact(Int64)
        /// Finer than a nano-dollar per 1M tokens (catalogs holding binary float noise
        /// such as 3.3333333333333335e-07): rounded half up to the nearest one.
        case rounded(Int64)
        case negative
        /// More than Int64.max nano-dollars per 1M tokens.
        case tooLarge
        /// Not a JSON number ("2.5e-06" quoted, "1e", "0x10").
        case notANumber
    }

    /// Converts JSON number text.
    public static func nanosPerMTok(_ text: String) -> Conversion {
        var bytes = Array(text.utf8)[...]
        guard !bytes.isEmpty else { return .notANumber }
        let isNegative = bytes.first == UInt8(ascii: "-")
        if isNegative { bytes = bytes.dropFirst() }
        var digits: [UInt8] = []
        var pointAt: Int?
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
                digits.append(byte - UInt8(ascii: "0"))
            } else if byte == UInt8(ascii: "."), pointAt == nil {
                pointAt = digits.count
            } else {
                break
            }
            index += 1
        }
        guard !digits.isEmpty, pointAt != digits.count else { return .notANumber }
        var exponent = 0
        if index < bytes.endIndex {
            guard bytes[index] | 0x20 == UInt8(ascii: "e") else { return .notANumber }
            index += 1
            var exponentNegative = false
            if index < bytes.endIndex, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                exponentNegative = bytes[index] == UInt8(ascii: "-")
                index += 1
            }
            guard index < bytes.endIndex else { return .notANumber }
            while index < bytes.endIndex {
                let byte = bytes[index]
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return .notANumber }
                // Beyond a million the value is 0 or astronomically large either way.
                exponent = min(exponent * 10 + Int(byte - UInt8(ascii: "0")), 1_000_000)
                index += 1
            }
            if exponentNegative { exponent = -exponent }
        }
        guard let first = digits.firstIndex(where: { $0 != 0 }) else { return .exact(0) }
        if isNegative { return .negative }
        // The value is 0.d1d2d3... x 10^point; nanos per 1M tokens is that x 10^15.
        let point = (pointAt ?? digits.count) - first + exponent + 15
        let significant = digits[first...]
        if point > 19 { return .tooLarge }
        var value: UInt64 = 0
        for offset in 0..<max(point, 0) {
            let digit = offset < significant.count ? significant[significant.startIndex + offset] : 0
            let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(UInt64(digit))
            guard !overflow1, !overflow2 else { return .tooLarge }
            value = sum
        }
        let rest = significant.dropFirst(max(point, 0))
        // Digits before the rest that the point's negative position skips are zeros.
        let roundsUp = point >= 0 ? (rest.first ?? 0) >= 5 : false
        let isExact = rest.allSatisfy { $0 == 0 }
        if roundsUp { value += 1 }
        guard value <= UInt64(Int64.max) else { return .tooLarge }
        return isExact ? .exact(Int64(value)) : .rounded(Int64(value))
    }
}
