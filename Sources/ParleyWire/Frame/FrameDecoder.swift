import NIOCore

/// Cuts a byte stream into frames. Every limit is checked on the 20-byte header, before
/// a single byte of meta or body is buffered, so an oversized frame costs nothing.
public struct FrameDecoder: ByteToMessageDecoder {
    public typealias InboundOut = Frame

    public let maxFrameSize: Int

    public init(maxFrameSize: Int = Frame.defaultMaxFrameSize) {
        self.maxFrameSize = maxFrameSize
    }

    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let frame = try FrameDecoder.nextFrame(from: &buffer, maxFrameSize: maxFrameSize) else {
            return .needMoreData
        }
        context.fireChannelRead(Self.wrapInboundOut(frame))
        return .continue
    }

    public mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        while try decode(context: context, buffer: &buffer) == .continue {}
        return .needMoreData
    }

    /// Takes one frame off the front of `buffer`, nil when it is not all there yet.
    /// Throws as soon as the header shows a violation, even before the frame is complete.
    public static func nextFrame(from buffer: inout ByteBuffer, maxFrameSize: Int) throws -> Frame? {
        let start = buffer.readerIndex
        guard buffer.readableBytes >= 2 else { return nil }
        guard buffer.getInteger(at: start, as: UInt8.self) == Frame.magic.0,
              buffer.getInteger(at: start + 1, as: UInt8.self) == Frame.magic.1 else {
            throw ProtocolViolation(.invalidArgument, "bad magic: a Parley frame starts with \"PL\"")
        }
        guard buffer.readableBytes >= Frame.headerSize,
              let version = buffer.getInteger(at: start + 2, as: UInt8.self),
              let rawType = buffer.getInteger(at: start + 3, as: UInt8.self),
              let callID = buffer.getInteger(at: start + 4, as: UInt32.self),
              let code = buffer.getInteger(at: start + 8, as: UInt16.self),
              let rawFlags = buffer.getInteger(at: start + 10, as: UInt16.self),
              let metaLength = buffer.getInteger(at: start + 12, as: UInt32.self),
              let bodyLength = buffer.getInteger(at: start + 16, as: UInt32.self)
        else { return nil }

        guard version == Frame.version else {
            throw ProtocolViolation(.invalidArgument, "unsupported protocol version \(version); this server speaks version \(Frame.version)")
        }
        guard let type = FrameType(rawValue: rawType) else {
            throw ProtocolViolation(.invalidArgument, "unknown frame type \(rawType)")
        }
        let flags = FrameFlags(rawValue: rawFlags)
        guard FrameFlags.known.isSuperset(of: flags) else {
            throw ProtocolViolation(.invalidArgument, "reserved flag bits set: 0x\(String(rawFlags, radix: 16))")
        }
        guard metaLength <= Frame.maxMetaSize else {
            throw ProtocolViolation(.resourceExhausted, "meta of \(metaLength) bytes exceeds the limit of \(Frame.maxMetaSize)")
        }
        let payload = UInt64(metaLength) + UInt64(bodyLength)
        guard payload <= UInt64(maxFrameSize) else {
            throw ProtocolViolation(.resourceExhausted, "frame payload of \(payload) bytes exceeds the limit of \(maxFrameSize)")
        }
        guard buffer.readableBytes >= Frame.headerSize + Int(payload) else { return nil }

        buffer.moveReaderIndex(forwardBy: Frame.headerSize)
        // safe: readableBytes was checked to cover meta and body just above.
        let meta = buffer.readSlice(length: Int(metaLength))!
        let body = buffer.readSlice(length: Int(bodyLength))!
        return Frame(type: type, callID: callID, code: code, flags: flags, meta: meta, body: body)
    }
}

/// Writes frames to the wire.
public struct FrameEncoder: MessageToByteEncoder {
    public typealias OutboundIn = Frame

    public init() {}

    public func encode(data: Frame, out: inout ByteBuffer) throws {
        data.write(to: &out)
    }
}
