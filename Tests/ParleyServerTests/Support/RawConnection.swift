import Foundation
import NIOCore
import ParleyWire
#if canImport(Glibc)
import Glibc
#endif

/// A blocking TCP socket that speaks bytes, for tests that must break the protocol on
/// purpose. Every read gives up after a timeout, so no test can hang on it.
final class RawConnection {
    private let fd: Int32
    private var pending = ByteBuffer()

    /// `source`: the local address to connect from (any of 127/8 on Linux), so a test can
    /// play several hosts.
    init(port: Int, timeoutSeconds: Int = 5, source: String? = nil) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw RawError.system("socket") }
        var tv = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        if let source {
            var local = sockaddr_in()
            local.sin_family = sa_family_t(AF_INET)
            local.sin_addr.s_addr = inet_addr(source)
            let bound = withUnsafePointer(to: &local) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard bound == 0 else { close(fd); throw RawError.system("bind \(source)") }
        }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard rc == 0 else { close(fd); throw RawError.system("connect") }
    }

    deinit { close(fd) }

    enum RawError: Error { case system(String), timeout, closed }

    func send(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return }
            offset += n
        }
    }

    func send(_ frame: Frame) {
        var b = ByteBuffer()
        frame.write(to: &b)
        send(Array(b.readableBytesView))
    }

    func hello(key: String) throws -> Frame {
        send(Frame(type: .hello, body: try Hello(clientName: "raw", apiKey: key).wire.encoded(allocator: ByteBufferAllocator())))
        return try readFrame()
    }

    func request(_ method: UInt16, callID: UInt32, body: (any WireMessage)? = nil, meta: CallMetadata? = nil) throws {
        send(Frame(type: .request, callID: callID, code: method,
                   meta: try meta?.wire.encoded(allocator: ByteBufferAllocator()) ?? ByteBuffer(),
                   body: try body?.encoded(allocator: ByteBufferAllocator()) ?? ByteBuffer()))
    }

    /// The next frame from the server; throws `.closed` if the server closed first.
    func readFrame() throws -> Frame {
        while true {
            if let f = try FrameDecoder.nextFrame(from: &pending, maxFrameSize: 64 << 20) { return f }
            var chunk = [UInt8](repeating: 0, count: 65_536)
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n == 0 { throw RawError.closed }
            if n < 0 { throw errno == EAGAIN || errno == EWOULDBLOCK ? RawError.timeout : RawError.system("recv") }
            pending.writeBytes(chunk[..<n])
        }
    }

    /// Without waiting: true when the server has closed the connection (any frames it sent
    /// first are discarded).
    func isClosedNow() -> Bool {
        var chunk = [UInt8](repeating: 0, count: 4_096)
        while true {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
            if n > 0 { continue }
            if n == 0 { return true }
            return errno == ECONNRESET
        }
    }

    /// True when the server closed the connection (after any frames still unread).
    func isClosedByServer() -> Bool {
        while true {
            do { _ = try readFrame() } catch RawError.closed { return true } catch { return false }
        }
    }

    /// Reads until a GOAWAY; returns it and whether the socket then closed.
    func expectGoAway() throws -> (frame: Frame, meta: ResponseMetadata, closed: Bool) {
        while true {
            let f = try readFrame()
            if f.type == .goAway {
                let meta = ResponseMetadata(wire: try V1.ResponseMetadata(decoding: f.meta))
                return (f, meta, isClosedByServer())
            }
        }
    }

    static func responseMeta(_ frame: Frame) throws -> ResponseMetadata {
        ResponseMetadata(wire: try V1.ResponseMetadata(decoding: frame.meta))
    }
}
