import NIOCore

/// The kinds of frame (byte 3 of the header).
public enum FrameType: UInt8, Sendable, CaseIterable {
    case hello = 1
    case request = 2
    case response = 3
    case cancel = 4
    case ping = 5
    case pong = 6
    case goAway = 7
}

/// Flag bits (bytes 10-11). Unknown bits are a protocol violation.
public struct FrameFlags: OptionSet, Sendable, Hashable {
    public let rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// More RESPONSE frames follow for this call (server streaming).
    public static let more = FrameFlags(rawValue: 1)
    public static let known: FrameFlags = [.more]
}

/// One frame of the Parley protocol (docs/PROTOCOL.md).
public struct Frame: Sendable, Equatable {
    public static let magic: (UInt8, UInt8) = (0x50, 0x4C)
    public static let version: UInt8 = 1
    public static let headerSize = 20
    public static let maxMetaSize = 65_536
    public static let defaultMaxFrameSize = 4 * 1024 * 1024

    public var type: FrameType
    /// Chosen by the client for calls; 0 for connection-level frames.
    public var callID: UInt32
    /// REQUEST: method id; RESPONSE, HELLO reply, GOAWAY: status code; otherwise 0.
    public var code: UInt16
    public var flags: FrameFlags
    public var meta: ByteBuffer
    public var body: ByteBuffer

    public init(type: FrameType, callID: UInt32 = 0, code: UInt16 = 0, flags: FrameFlags = [],
                meta: ByteBuffer = ByteBuffer(), body: ByteBuffer = ByteBuffer()) {
        self.type = type
        self.callID = callID
        self.code = code
        self.flags = flags
        self.meta = meta
        self.body = body
    }

    /// Bytes this frame takes on the wire.
    public var encodedSize: Int { Frame.headerSize + meta.readableBytes + body.readableBytes }

    /// Appends the frame's bytes to `buffer`.
    public func write(to buffer: inout ByteBuffer) {
        buffer.reserveCapacity(minimumWritableBytes: encodedSize)
        buffer.writeInteger(Frame.magic.0)
        buffer.writeInteger(Frame.magic.1)
        buffer.writeInteger(Frame.version)
        buffer.writeInteger(type.rawValue)
        buffer.writeInteger(callID)
        buffer.writeInteger(code)
        buffer.writeInteger(flags.rawValue)
        buffer.writeInteger(UInt32(meta.readableBytes))
        buffer.writeInteger(UInt32(body.readableBytes))
        var meta = meta, body = body
        buffer.writeBuffer(&meta)
        buffer.writeBuffer(&body)
    }
}
