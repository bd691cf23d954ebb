import Foundation

/// The files of one capture, logrotate style: FILE is the part being written, FILE.1 the
/// one before it, FILE.2 older still.
public struct CapturePaths: Sendable, Equatable {
    public let base: String

    public init(_ base: String) { self.base = base }

    /// FILE for 0, FILE.n otherwise.
    public func part(_ age: Int) -> String { age == 0 ? base : "\(base).\(age)" }

    /// Every part that exists on disk, newest (FILE) first; FILE.n are looked for until
    /// the first number missing.
    public func existing() -> [String] {
        var found: [String] = []
        var age = 0
        while FileManager.default.fileExists(atPath: part(age)) {
            found.append(part(age))
            age += 1
        }
        return found
    }
}
