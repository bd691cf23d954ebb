import Foundation
import NIOCore
import ParleyWire

/// Writes the request frames a server accepts into a capture (docs/LOAD.md), rotating
/// parts at `CaptureLimits.maxPartBytes` and keeping at most `maxParts` of them.
///
/// Only REQUEST frames and the RESPONSE frames answering them are taken: HELLO, the only
/// frame that carries an API key, is refused by type, so no code path can write a key. Records are buffered up to
/// `flushThreshold` bytes; a crash loses at most that much, and the reader reports the
/// torn last record as truncated at its offset.
public final class CaptureWriter: @unchecked Sendable {
    // @unchecked: every mutable field below is read and written only under `lock`, so
    // the server's event loops may record concurrently.
    private let lock = NSLock()
    public let paths: CapturePaths
    public let limits: CaptureLimits
    public let startMicros: Int64
    private let startInstant: ContinuousClock.Instant
    private let flushThreshold: Int
    private var handle: FileHandle
    private var part: UInt32 = 0
    private var partBytes = 0
    private var pending = ByteBuffer()
    private var closed = false
    /// Records written since the start, over all parts (also those since deleted).
    public private(set) var recordsWritten = 0

    /// Starts a capture at `path`; it refuses to overwrite an earlier one.
    /// `startMicros`: the capture's start in µs since the Unix epoch (default: now).
    public init(path: String, limits: CaptureLimits = CaptureLimits(), startMicros: Int64? = nil,
                flushThreshold: Int = 64 * 1024) throws(CaptureError) {
        try limits.validate()
        paths = CapturePaths(path)
        // Every name rotation would use, not only an unbroken run: a stray FILE.3 would
        // otherwise stop the rotation that reaches it.
        for age in 0..<limits.maxParts where FileManager.default.fileExists(atPath: paths.part(age)) {
            throw .alreadyExists(path: paths.part(age))
        }
        self.limits = limits
        self.startMicros = startMicros ?? Int64(Date().timeIntervalSince1970 * 1_000_000)
        startInstant = .now
        self.flushThreshold = flushThreshold
        handle = try Self.create(paths.part(0))
        try startPart()
    }

    /// Appends `frame`, which arrived on `connection`, `arrivalMicros` after the start
    /// (default: now, by a monotonic clock).
    public func record(_ frame: Frame, connection: UInt32, arrivalMicros: UInt64? = nil) throws(CaptureError) {
        guard frame.type == .request || frame.type == .response else { throw .notARequest(frame.type) }
        guard frame.encodedSize <= CaptureFormat.maxFrameBytes else { throw .frameTooLarge(bytes: frame.encodedSize) }
        lock.lock()
        defer { lock.unlock() }
        // Read the clock under the lock, so arrival times rise in file order.
        let record = CaptureRecord(arrivalMicros: arrivalMicros ?? elapsedMicros(), connection: connection, frame: frame)
        guard !closed else { throw .writeFailed(path: paths.base, reason: "the capture is closed") }
        if partBytes > CaptureFormat.headerSize, partBytes + record.encodedSize > limits.maxPartBytes {
            try rotate()
        }
        record.write(to: &pending)
        partBytes += record.encodedSize
        recordsWritten += 1
        if pending.readableBytes >= flushThreshold { try flushPending() }
    }

    /// Writes buffered records to the file.
    public func flush() throws(CaptureError) {
        lock.lock()
        defer { lock.unlock() }
        guard !closed else { return }
        try flushPending()
    }

    /// Flushes and closes; later records are refused.
    public func close() throws(CaptureError) {
        lock.lock()
        defer { lock.unlock() }
        guard !closed else { return }
        closed = true
        try flushPending()
        do { try handle.close() } catch { throw .writeFailed(path: paths.base, reason: "\(error)") }
    }

    private func elapsedMicros() -> UInt64 {
        let elapsed = ContinuousClock.now - startInstant
        let (seconds, attoseconds) = elapsed.components
        return UInt64(max(0, seconds)) * 1_000_000 + UInt64(max(0, attoseconds) / 1_000_000_000_000)
    }

    private func startPart() throws(CaptureError) {
        CaptureHeader(startMicros: startMicros, part: part).write(to: &pending)
        partBytes = CaptureFormat.headerSize
        try flushPending()
    }

    /// FILE becomes FILE.1, FILE.1 FILE.2, ...; the part that would exceed `maxParts`
    /// is deleted; a new FILE starts with the next part number.
    private func rotate() throws(CaptureError) {
        try flushPending()
        do {
            try handle.close()
            let fm = FileManager.default
            let oldest = paths.part(limits.maxParts - 1)
            if fm.fileExists(atPath: oldest) { try fm.removeItem(atPath: oldest) }
            if limits.maxParts > 1 {
                for age in stride(from: limits.maxParts - 2, through: 0, by: -1) where fm.fileExists(atPath: paths.part(age)) {
                    try fm.moveItem(atPath: paths.part(age), toPath: paths.part(age + 1))
                }
            }
        } catch {
            closed = true
            throw .writeFailed(path: paths.base, reason: "rotation failed: \(error)")
        }
        handle = try Self.create(paths.base)
        part += 1
        try startPart()
    }

    private func flushPending() throws(CaptureError) {
        guard pending.readableBytes > 0 else { return }
        do {
            try handle.write(contentsOf: Data(pending.readableBytesView))
        } catch {
            throw .writeFailed(path: paths.base, reason: "\(error)")
        }
        pending.clear()
    }

    private static func create(_ path: String) throws(CaptureError) -> FileHandle {
        guard FileManager.default.createFile(atPath: path, contents: nil),
              let handle = FileHandle(forWritingAtPath: path)
        else { throw .cannotOpen(path: path, reason: "the file cannot be created (check the directory and its permissions)") }
        return handle
    }
}
