import NIOCore
import ParleyWire

/// What one fuzz input exercises: the server's decoding of bytes from the network. The
/// first byte picks the mode:
/// - below 0x80, the rest is a byte stream cut into frames as a connection does; each
///   frame's meta and body decode as the server would decode them (HELLO, a REQUEST's
///   metadata and its method's request type);
/// - otherwise the second byte picks a method and the rest is that method's request body,
///   so every request type is reached without a valid frame around it.
/// Every message that decodes is encoded again and that encoding must decode: a failure
/// there is a bridge bug, reported by trapping so the fuzzer keeps the input.
public enum FuzzInput {
    /// Frames are cut with a small limit: the decoder's checks are the same, inputs stay small.
    static let maxFrameSize = 1 << 16

    public static func run(_ bytes: [UInt8]) {
        guard let mode = bytes.first else { return }
        if mode < 0x80 {
            frames(ByteBuffer(bytes: bytes.dropFirst()))
        } else if bytes.count >= 2 {
            let method = Method.allCases[Int(bytes[1]) % Method.allCases.count]
            request(method, ByteBuffer(bytes: bytes.dropFirst(2)))
        }
    }

    private static func frames(_ stream: ByteBuffer) {
        var stream = stream
        while true {
            let frame: Frame
            do {
                guard let next = try FrameDecoder.nextFrame(from: &stream, maxFrameSize: maxFrameSize) else { return }
                frame = next
            } catch {
                return  // a violation: the connection would answer GOAWAY and close
            }
            switch frame.type {
            case .hello:
                roundTrip(V1.Hello.self, frame.body)
            case .request:
                roundTrip(V1.CallMetadata.self, frame.meta)
                if let method = Method(rawValue: frame.code) { request(method, frame.body) }
            case .goAway, .response:
                roundTrip(V1.ResponseMetadata.self, frame.meta)
            case .cancel, .ping, .pong:
                break
            }
        }
    }

    private static func request(_ method: Method, _ body: ByteBuffer) {
        guard let message = try? method.decodeRequest(body) else { return }
        reencode(message)
    }

    private static func roundTrip<M: WireMessage>(_ type: M.Type, _ bytes: ByteBuffer) {
        guard let message = try? M(decoding: bytes) else { return }
        reencode(message)
    }

    private static func reencode<M: WireMessage>(_ message: M) {
        let encoded: ByteBuffer
        do {
            encoded = try message.encoded()
        } catch {
            fatalError("\(M.protoName) decoded but does not encode again: \(error)")  // safe: a fuzz target reports a finding by trapping; only Tools/fuzz runs it
        }
        do {
            _ = try M(decoding: encoded)
        } catch {
            fatalError("\(M.protoName): the encoding of a decoded message does not decode: \(error)")  // safe: as above, a finding for libFuzzer
        }
    }
}
