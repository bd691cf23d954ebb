/// Page header, the first 24 bytes of every page (little-endian):
///   0  checksum  u64  XXH64 of bytes 8..<length, seeded with the page number
///   8  type      u8   PageType
///   9  flags     u8   reserved, zero
///  10  count     u16  cells in a node page
///  12  overflow  u32  extra pages that follow this one in the same run
///  16  upper     u32  start of the cell area (nodes)
///  20  garbage   u32  bytes of dead cells inside the cell area (nodes)
enum PageType: UInt8 {
    case meta = 1
    case branch = 2
    case leaf = 3
    case overflow = 4
}

enum PageHeader {
    static let size = 24
    static let checksum = 0
    static let type = 8
    static let count = 10
    static let overflow = 12
    static let upper = 16
    static let garbage = 20
}

/// Read-only view of a page (or a run of pages) in the map or in a dirty buffer.
/// `owner` keeps a dirty buffer alive for as long as a view of it exists.
struct PageRef {
    let base: UnsafeRawPointer
    let length: Int
    let id: UInt64
    let owner: AnyObject?

    @inline(__always) func u8(_ at: Int) -> UInt8 { base.load(fromByteOffset: at, as: UInt8.self) }
    @inline(__always) func u16(_ at: Int) -> UInt16 { UInt16(littleEndian: base.loadUnaligned(fromByteOffset: at, as: UInt16.self)) }
    @inline(__always) func u32(_ at: Int) -> UInt32 { UInt32(littleEndian: base.loadUnaligned(fromByteOffset: at, as: UInt32.self)) }
    @inline(__always) func u64(_ at: Int) -> UInt64 { UInt64(littleEndian: base.loadUnaligned(fromByteOffset: at, as: UInt64.self)) }

    var type: UInt8 { u8(PageHeader.type) }
    var storedChecksum: UInt64 { u64(PageHeader.checksum) }
    var overflow: UInt32 { u32(PageHeader.overflow) }

    func computeChecksum() -> UInt64 {
        Checksum.hash(UnsafeRawBufferPointer(start: base + 8, count: length - 8), seed: id)
    }

    func verify() throws {
        let stored = storedChecksum
        if stored != computeChecksum() {
            if stored == 0 && type == 0 {
                throw StorageError.corrupt(id, "page is all zeros (checksum missing)")
            }
            throw StorageError.corrupt(id, "checksum mismatch")
        }
    }

    func bytes(_ at: Int, _ count: Int) -> [UInt8] {
        [UInt8](UnsafeRawBufferPointer(start: base + at, count: count))
    }

    /// Compares `count` bytes at `at` with `key` in unsigned byte order.
    @inline(__always) func compare(_ at: Int, _ count: Int, _ key: [UInt8]) -> Int {
        key.withUnsafeBytes { k -> Int in
            let n = min(count, k.count)
            if n > 0, let kb = k.baseAddress {
                let c = memcmp(base + at, kb, n)
                if c != 0 { return c < 0 ? -1 : 1 }
            }
            return count < k.count ? -1 : (count > k.count ? 1 : 0)
        }
    }

    func withBytes<T>(_ at: Int, _ count: Int, _ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T {
        try body(UnsafeRawBufferPointer(start: base + at, count: count))
    }
}

/// A page (or run of pages) being written by the current write transaction.
final class PageBuffer {
    let base: UnsafeMutableRawPointer
    let length: Int
    var id: UInt64

    init(id: UInt64, length: Int) {
        self.id = id
        self.length = length
        base = UnsafeMutableRawPointer.allocate(byteCount: length, alignment: 4096)
        base.initializeMemory(as: UInt8.self, repeating: 0, count: length)
    }

    /// A copy of an existing page, given a new number (copy-on-write).
    init(copying page: PageRef, id: UInt64) {
        self.id = id
        self.length = page.length
        base = UnsafeMutableRawPointer.allocate(byteCount: length, alignment: 4096)
        base.copyMemory(from: page.base, byteCount: length)
    }

    deinit { base.deallocate() }

    var ref: PageRef { PageRef(base: UnsafeRawPointer(base), length: length, id: id, owner: self) }
    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: length) }

    @inline(__always) func set8(_ at: Int, _ v: UInt8) { base.storeBytes(of: v, toByteOffset: at, as: UInt8.self) }
    @inline(__always) func set16(_ at: Int, _ v: UInt16) { base.storeBytes(of: v.littleEndian, toByteOffset: at, as: UInt16.self) }
    @inline(__always) func set32(_ at: Int, _ v: UInt32) { base.storeBytes(of: v.littleEndian, toByteOffset: at, as: UInt32.self) }
    @inline(__always) func set64(_ at: Int, _ v: UInt64) { base.storeBytes(of: v.littleEndian, toByteOffset: at, as: UInt64.self) }
    @inline(__always) func get16(_ at: Int) -> UInt16 { UInt16(littleEndian: base.loadUnaligned(fromByteOffset: at, as: UInt16.self)) }
    @inline(__always) func get32(_ at: Int) -> UInt32 { UInt32(littleEndian: base.loadUnaligned(fromByteOffset: at, as: UInt32.self)) }

    func setBytes(_ at: Int, _ bytes: [UInt8]) {
        bytes.withUnsafeBytes { src in
            if let s = src.baseAddress { (base + at).copyMemory(from: s, byteCount: src.count) }
        }
    }

    func moveBytes(from: Int, to: Int, count: Int) {
        if count > 0 { (base + to).copyMemory(from: base + from, byteCount: count) }
    }

    /// Seals the page: stamps its number into the checksum so a misplaced write is caught.
    @discardableResult
    func seal() -> UInt64 {
        let sum = Checksum.hash(UnsafeRawBufferPointer(start: base + 8, count: length - 8), seed: id)
        set64(PageHeader.checksum, sum)
        return sum
    }
}

import Glibc
