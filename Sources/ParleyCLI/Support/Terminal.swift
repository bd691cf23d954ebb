import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a command's output goes, and what that place can show.
///
/// Commands never call `print`: they write through `Terminal.current`, which is the real
/// standard output in `parley` and a capturing buffer in tests (a task-local, so parallel
/// tests do not see each other's output).
///
/// `@unchecked Sendable`: `capturedOut` and `capturedErr` are only touched with `lock`
/// held; the sinks are immutable closures that each write one whole string to a file
/// handle (standard output or error).
public final class Terminal: @unchecked Sendable {
    /// Standard output is a terminal: progress bars redraw in place.
    public let isInteractive: Bool
    /// ANSI colour is allowed: standard output is a terminal and NO_COLOR is unset.
    public let colorEnabled: Bool
    /// Columns available for charts.
    public let width: Int
    private let lock = NSLock()
    private let sinkOut: ((String) -> Void)?
    private let sinkErr: ((String) -> Void)?
    private var capturedOut = ""
    private var capturedErr = ""

    public init(isInteractive: Bool, colorEnabled: Bool, width: Int,
                out: ((String) -> Void)? = nil, err: ((String) -> Void)? = nil) {
        self.isInteractive = isInteractive
        self.colorEnabled = colorEnabled
        self.width = width
        sinkOut = out
        sinkErr = err
    }

    /// The process's standard output and error.
    public static func standard(environment: [String: String] = ProcessInfo.processInfo.environment) -> Terminal {
        let tty = isatty(STDOUT_FILENO) == 1
        let columns = Int(environment["COLUMNS"] ?? "") ?? Terminal.windowColumns() ?? 100
        return Terminal(isInteractive: tty, colorEnabled: tty && environment["NO_COLOR"] == nil, width: columns,
                        out: { FileHandle.standardOutput.write(Data($0.utf8)) },
                        err: { FileHandle.standardError.write(Data($0.utf8)) })
    }

    /// A terminal that keeps what is written, for tests: fixed width, no colour.
    public static func capturing(width: Int = 80, interactive: Bool = false) -> Terminal {
        Terminal(isInteractive: interactive, colorEnabled: false, width: width)
    }

    @TaskLocal public static var current: Terminal = .standard()

    /// Writes text to standard output as is.
    public func write(_ text: String) {
        if let sinkOut { sinkOut(text) } else { lock.withLock { capturedOut += text } }
    }

    /// Writes one line to standard output.
    public func line(_ text: String = "") { write(text + "\n") }

    /// Writes one line to standard error (diagnostics, progress that is not the answer).
    public func note(_ text: String) {
        noteInPlace(text + "\n")
    }

    /// Writes to standard error without a newline (a progress bar redrawing itself).
    public func noteInPlace(_ text: String) {
        if let sinkErr { sinkErr(text) } else { lock.withLock { capturedErr += text } }
    }

    /// Everything written to standard output so far (capturing terminals only).
    public var output: String { lock.withLock { capturedOut } }
    /// Everything written to standard error so far (capturing terminals only).
    public var errors: String { lock.withLock { capturedErr } }

    private static func windowColumns() -> Int? {
        var size = winsize()
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return nil }
        return Int(size.ws_col)
    }
}
