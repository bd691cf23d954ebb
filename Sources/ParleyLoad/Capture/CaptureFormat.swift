/// The byte layout of a capture file (docs/LOAD.md): a 24-byte header, then records.
/// All integers are big-endian, as on the wire.
public enum CaptureFormat {
    /// "PLCP": Parley capture.
    public static let magic: [UInt8] = [0x50, 0x4C, 0x43, 0x50]
    /// 2: records may also hold the RESPONSE frame a request was answered with (for
    /// `replay --verify`). 1: requests only; still read.
    public static let version: UInt8 = 2
    public static let readableVersions: ClosedRange<UInt8> = 1...2
    /// magic 4, version 1, reserved 3, start time 8, part sequence 4, header CRC 4.
    public static let headerSize = 24
    /// frame length 4, arrival 8, connection 4 before the frame; CRC 4 after it.
    public static let recordPrefixSize = 16
    public static let recordOverhead = recordPrefixSize + 4
    /// The largest frame a record may hold: a full header, the largest meta and the
    /// largest body any server accepts. A length beyond it can only be corruption.
    public static let maxFrameBytes = 20 + 65_536 + 64 * 1024 * 1024
}
