/// What the generated code knows about the protobuf-c struct behind a message: the
/// functions protoc-c emitted for it, and how to fill and read it field by field.
protocol CBackedMessage: WireMessage {
    associatedtype CStruct
    static func cInit(_ c: UnsafeMutablePointer<CStruct>)
    static func cUnpack(_ count: Int, _ data: UnsafePointer<UInt8>?) -> UnsafeMutablePointer<CStruct>?
    static func cFree(_ c: UnsafeMutablePointer<CStruct>)
    static func cPackedSize(_ c: UnsafePointer<CStruct>) -> Int
    static func cPack(_ c: UnsafePointer<CStruct>, _ out: UnsafeMutablePointer<UInt8>?) -> Int
    /// Stores the present fields into `c` (already initialised); memory comes from `arena`.
    func fill(_ c: UnsafeMutablePointer<CStruct>, _ arena: CArena) throws
    /// Copies an unpacked struct into Swift values.
    init(reading c: UnsafePointer<CStruct>) throws
}

/// A proto enum generated as a Swift enum, and its protobuf-c counterpart.
protocol CBackedEnum: RawRepresentable, Sendable where RawValue == Int32 {
    associatedtype CValue: RawRepresentable where CValue.RawValue: BinaryInteger
    static var protoName: String { get }
    var cValue: CValue { get }
}
