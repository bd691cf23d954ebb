import Foundation

/// The last input line an import has finished, kept next to the input file
/// (`FILE.parley-checkpoint`) so an interrupted import resumes where it stopped. It is
/// removed when the import completes; re-running without it is safe anyway, because
/// turn ids are idempotency keys and upserts are idempotent.
struct Checkpoint {
    let path: String

    init(input: String) {
        path = input + ".parley-checkpoint"
    }

    /// The last finished line, if an earlier run left one.
    func load() -> Int? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1)
            if parts.count == 2, parts[0] == "last_line", let n = Int(parts[1].trimmingCharacters(in: .whitespaces)) { return n }
        }
        return nil
    }

    func save(lastLine: Int) throws {
        do {
            try "last_line=\(lastLine)\n".write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw CLIError.local("cannot write the checkpoint \(path): \(error.localizedDescription); check that the input's directory is writable")
        }
    }

    func clear() {
        try? FileManager.default.removeItem(atPath: path)
    }
}
