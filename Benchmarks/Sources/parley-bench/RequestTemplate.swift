import NIOCore
import ParleyWire

/// A pre-encoded REQUEST frame whose placeholders (runs of the same letter, fixed width)
/// are overwritten with per-call numbers, so every call is a distinct write without
/// encoding a message per call in the load generator.
struct RequestTemplate {
    private var frame: ByteBuffer
    /// (offset in the frame, width, divisor): the digits of callNumber / divisor go there.
    private let slots: [(offset: Int, width: Int, divisor: Int)]
    /// Added to every call number, so consecutive runs never repeat a number.
    var numberOffset = 0

    static let idPlaceholder = String(repeating: "X", count: 12)
    static let sessionPlaceholder = String(repeating: "Y", count: 12)

    /// `placeholders` maps a placeholder text in `body` to the divisor applied to the call number.
    init<Request, Response>(_ rpc: UnaryRPC<Request, Response>, body: Request, placeholders: [String: Int] = [:]) throws {
        var frame = ByteBuffer()
        Frame(type: .request, callID: 1, code: rpc.method.id, body: try body.encoded(allocator: ByteBufferAllocator())).write(to: &frame)
        let bytes = Array(frame.readableBytesView)
        var slots: [(Int, Int, Int)] = []
        for (text, divisor) in placeholders {
            let needle = Array(text.utf8)
            guard let at = (0...(bytes.count - needle.count)).first(where: { Array(bytes[$0..<$0 + needle.count]) == needle }) else {
                throw BenchError("placeholder \(text) not found in the encoded request")
            }
            slots.append((at, needle.count, divisor))
        }
        self.frame = frame
        self.slots = slots
    }

    /// The frame for call `number` with call id `callID`.
    mutating func frame(callID: UInt32, number: Int) -> ByteBuffer {
        frame.setInteger(callID, at: frame.readerIndex + 4)
        for slot in slots {
            var n = (number + numberOffset) / slot.divisor
            for i in stride(from: slot.width - 1, through: 0, by: -1) {
                frame.setInteger(UInt8(ascii: "0") + UInt8(n % 10), at: frame.readerIndex + slot.offset + i)
                n /= 10
            }
        }
        return frame
    }
}
