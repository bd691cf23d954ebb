import NIOCore
import ParleyWire

/// One request as the server accepted it.
public struct CaptureRecord: Sendable, Equatable {
    /// Microseconds from the capture's start (`CaptureHeader.startMicros`) to the arrival.
    public var arrivalMicros: UInt64
    /// The server's number for the connection the request came on; requests of one
    /// connection were answered in its order, so a replay keeps them on one connection.
    public var connection: UInt32
    /// The REQUEST frame: header, meta and body, byte for byte.
    public var frame: Frame

    public init(arrivalMicros: UInt64, connection: UInt32, frame: Frame) {
        self.arrivalMicros = arrivalMicros
        self.connection = connection
        self.frame = frame
    }

    /// The method the request called, nil for an id this build does not know.
    public var method: Method? { Method(rawValue: frame.code) }

    /// Bytes this record takes in a capture file.
    public var encodedSize: Int { CaptureFormat.recordOverhead + frame.encodedSize }

    func write(to buffer: inout ByteBuffer) {
        var record = ByteBuffer()
        record.reserveCapacity(encodedSize)
        record.writeInteger(UInt32(frame.encodedSize))
        record.writeInteger(arrivalMicros)
        record.writeInteger(connection)
        frame.write(to: &record)
        record.writeInteger(CRC32C.checksum(record.readableBytesView))
        buffer.writeBuffer(&record)
    }
}
