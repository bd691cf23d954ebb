import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A blocking HTTP/1.1 GET on 127.0.0.1 with `Connection: close`, as a scraper or a load
/// balancer's health check would send it. Reads give up after a timeout.
enum HTTPProbe {
    struct Answer {
        let status: Int
        let body: String
    }

    enum ProbeError: Error { case system(String), malformed(String) }

    static func get(port: Int, path: String, timeoutSeconds: Int = 5) throws -> Answer {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ProbeError.system("socket") }
        defer { close(fd) }
        var tv = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard rc == 0 else { throw ProbeError.system("connect to \(port)") }
        let request = Array("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".utf8)
        _ = request.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
        }
        let text = String(decoding: bytes, as: UTF8.self)
        guard let split = text.range(of: "\r\n\r\n") else { throw ProbeError.malformed(text) }
        let statusLine = text[..<split.lowerBound].split(separator: "\r\n").first ?? ""
        let parts = statusLine.split(separator: " ")
        guard parts.count >= 2, let status = Int(parts[1]) else { throw ProbeError.malformed(String(statusLine)) }
        return Answer(status: status, body: String(text[split.upperBound...]))
    }

    /// The value of the sample `name{labels}` in a Prometheus text exposition, or nil.
    static func sample(_ exposition: String, _ name: String, labels: String = "") -> Double? {
        let key = labels.isEmpty ? name : "\(name){\(labels)}"
        for line in exposition.split(separator: "\n") where line.hasPrefix(key + " ") {
            return Double(line.dropFirst(key.count + 1).split(separator: " ").first ?? "")
        }
        return nil
    }
}
