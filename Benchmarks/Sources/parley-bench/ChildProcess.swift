import Foundation

/// A server or tool the benchmark starts and always stops, bound to 127.0.0.1.
final class ChildProcess {
    let process = Process()
    let name: String

    init(_ executable: String, _ arguments: [String], name: String, quiet: Bool = true) throws {
        self.name = name
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if quiet {
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
        }
        try process.run()
    }

    var pid: Int32 { process.processIdentifier }

    /// Peak resident set size (VmHWM) in bytes, from /proc.
    var peakRSS: Int { statusBytes("VmHWM:") }

    /// User plus system CPU time the process has used so far (/proc/PID/stat fields 14 and 15).
    var cpuSeconds: Double {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return 0 }
        // Fields after the command name, which may hold spaces: state is field 3.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// Resident anonymous memory (RssAnon) in bytes: the heap, not the mapped database
    /// file, whose pages the kernel can drop.
    var anonymousRSS: Int { statusBytes("RssAnon:") }

    private func statusBytes(_ field: String) -> Int {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix(field) }),
              let kb = Int(line.split(separator: " ").dropFirst().first ?? "") else { return 0 }
        return kb * 1024
    }

    /// SIGKILL, not SIGTERM: Foundation's Process spawns from a Swift-concurrency thread
    /// whose signals are blocked and does not reset the mask, so the child inherits a
    /// blocked SIGTERM and would never stop (the bench hung here). The figures are taken
    /// before this, and nothing a benchmark child holds needs a clean shutdown.
    func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    deinit { stop() }

    /// Runs a command to completion and returns its standard output.
    static func output(_ executable: String, _ arguments: [String]) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = arguments
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = FileHandle.nullDevice
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    /// A TCP port on 127.0.0.1 that was free a moment ago.
    static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { p -> Int32 in
                bind(fd, p, len)
                return getsockname(fd, p, &len)
            }
        }
        return Int(UInt16(bigEndian: addr.sin_port))
    }

    /// Waits until this process accepts connections on the port; fails at once when it
    /// has exited instead.
    func waitUntilListening(on port: Int, seconds: Double) throws {
        try Self.waitForPort(port, seconds: seconds) {
            guard process.isRunning else { throw BenchError("\(name) exited with status \(process.terminationStatus) before listening on port \(port)") }
        }
    }

    /// Waits until something accepts connections on the port; `check` runs between tries.
    static func waitForPort(_ port: Int, seconds: Double = 20, check: () throws -> Void = {}) throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            try check()
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var addr = sockaddr_in()
            addr.sin_family = sa_family_t(AF_INET)
            addr.sin_addr.s_addr = inet_addr("127.0.0.1")
            addr.sin_port = in_port_t(UInt16(port).bigEndian)
            let rc = withUnsafePointer(to: &addr) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            close(fd)
            if rc == 0 { return }
            usleep(50_000)
        }
        throw BenchError("nothing listens on 127.0.0.1:\(port) after \(seconds) s")
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ s: String) { description = s }
}
