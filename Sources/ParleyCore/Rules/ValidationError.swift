/// One field that failed validation, named by its proto field path (e.g. "tokens.input")
/// so a caller can find it in the request it sent.
public struct FieldViolation: Sendable, Equatable, CustomStringConvertible {
    public var field: String
    public var reason: String

    public init(field: String, reason: String) {
        self.field = field
        self.reason = reason
    }

    public var description: String { "\(field): \(reason)" }
}

/// A record was rejected; every bad field is listed, not just the first.
public struct ValidationError: Error, Sendable, Equatable, CustomStringConvertible {
    public var violations: [FieldViolation]

    public init(_ violations: [FieldViolation]) {
        self.violations = violations
    }

    public var description: String {
        "invalid request: " + violations.map(\.description).joined(separator: "; ")
    }

    /// The violations with `prefix` prepended to each field, for a record inside a batch
    /// (e.g. "turns[3]." + "tokens.input").
    public func prefixed(_ prefix: String) -> ValidationError {
        ValidationError(violations.map { FieldViolation(field: prefix + $0.field, reason: $0.reason) })
    }
}

/// Collects violations while a record is checked, so all of them can be reported at once.
struct ViolationCollector {
    private(set) var violations: [FieldViolation] = []

    mutating func add(_ field: String, _ reason: String) {
        violations.append(FieldViolation(field: field, reason: reason))
    }

    mutating func requireIdentifier(_ value: String, field: String) {
        if value.isEmpty {
            add(field, "is required; give an id of 1 to \(Identifier.maxLength) characters of \(Identifier.allowedDescription)")
        } else {
            checkIdentifier(value, field: field)
        }
    }

    mutating func checkIdentifier(_ value: String, field: String) {
        if let problem = Identifier.problem(with: value) { add(field, problem) }
    }

    mutating func checkText(_ value: String, field: String, maxBytes: Int) {
        let bytes = value.utf8.count
        if bytes > maxBytes {
            add(field, "is \(bytes) bytes; at most \(maxBytes) bytes are accepted, shorten it")
        }
    }

    mutating func checkTime(_ value: Millis?, field: String) {
        if let value, value < 0 {
            add(field, "is \(value); give milliseconds since 1970-01-01 UTC (not negative)")
        } else if let value, value >= TimeUnits.endOfAcceptedTime {
            add(field, "is \(value); give milliseconds since 1970-01-01 UTC, before the year 10000 (\(TimeUnits.endOfAcceptedTime))")
        }
    }

    mutating func checkScore(_ value: Int32?, field: String) {
        if let value, !(1...5).contains(value) {
            add(field, "is \(value); a feedback score is 1 to 5")
        }
    }

    func finish() throws(ValidationError) {
        if !violations.isEmpty { throw ValidationError(violations) }
    }
}
