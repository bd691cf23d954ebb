import Foundation

/// Progress of long work (import, backfill, retention, check) on standard error, so the
/// answer on standard output stays clean for pipes.
///
/// On a terminal it is one line redrawn in place: a bar, done/total, rate and ETA. Piped,
/// it is plain lines, one per tenth of the work (or every 10 seconds when the total is
/// unknown), because a log full of carriage returns helps nobody.
final class ProgressDisplay {
    /// What `done` and `total` count: items (rows, pages, sessions) or bytes of a file.
    enum Unit {
        case items, bytes

        func text(_ n: Int64) -> String { self == .bytes ? ByteCount.text(n) : Format.integer(n) }
    }

    private let label: String
    private let unit: Unit
    private let terminal: Terminal
    private let clock: () -> Double
    private let started: Double
    private var lastDraw: Double = -1
    private var lastTenth: Int64 = -1
    private var drewInPlace = false

    init(_ label: String, unit: Unit = .items, terminal: Terminal = Terminal.current,
         clock: @escaping () -> Double = { Date().timeIntervalSince1970 }) {
        self.label = label
        self.unit = unit
        self.terminal = terminal
        self.clock = clock
        started = clock()
    }

    func update(done: Int64, total: Int64) {
        let now = clock()
        if terminal.isInteractive {
            guard now - lastDraw >= 0.1 || done == total else { return }
            lastDraw = now
            terminal.noteInPlace("\r" + line(done: done, total: total, now: now) + "\u{1B}[K")
            drewInPlace = true
        } else if total > 0 {
            let tenth = done * 10 / total
            guard tenth > lastTenth else { return }
            lastTenth = tenth
            terminal.note(line(done: done, total: total, now: now))
        } else if lastDraw < 0 || now - lastDraw >= 10 {
            lastDraw = now
            terminal.note(line(done: done, total: total, now: now))
        }
    }

    /// Clears the bar so a message can take the line; the next update redraws it.
    func interrupt() {
        guard drewInPlace else { return }
        terminal.noteInPlace("\r\u{1B}[K")
        drewInPlace = false
        lastDraw = -1
    }

    /// Ends the display; `summary` goes on its own line.
    func finish(_ summary: String? = nil) {
        if drewInPlace { terminal.noteInPlace("\n") }
        drewInPlace = false
        if let summary { terminal.note("\(label): \(summary)") }
    }

    /// "import  [#########...........]  45%  4,500/10,000  1,500/s  ETA 4s"
    func line(done: Int64, total: Int64, now: Double) -> String {
        let elapsed = max(0.001, now - started)
        let rate = Double(done) / elapsed
        var parts = [label]
        if total > 0 {
            let fraction = min(1, Double(done) / Double(total))
            let width = 24
            let filled = Int((fraction * Double(width)).rounded(.down))
            parts.append("[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "]")
            parts.append(String(format: "%3d%%", Int((fraction * 100).rounded(.down))))
            parts.append("\(unit.text(done))/\(unit.text(total))")
        } else {
            parts.append(unit.text(done))
        }
        parts.append("\(unit.text(Int64(rate.rounded())))/s")
        if total > 0, done < total, rate > 0 {
            parts.append("ETA " + Format.duration(ms: Int64(Double(total - done) / rate * 1000)))
        }
        return parts.joined(separator: "  ")
    }
}
