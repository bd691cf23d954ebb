import Glibc

/// The file operations a commit depends on, behind a protocol so tests can fail any one
/// of them (short write, ENOSPC, failed sync) without touching a real disk's limits.
protocol StorageFile: AnyObject {
    /// Descriptor used only to map the file read-only.
    var descriptor: Int32 { get }
    func size() throws -> Int
    /// Reads up to `buffer.count` bytes; returns how many were read (short at end of file).
    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int) throws -> Int
    /// Writes all buffers back to back starting at `offset`, or throws.
    func write(_ buffers: [UnsafeRawBufferPointer], at offset: Int) throws
    func sync() throws
    /// Makes the file at least `size` bytes with its blocks allocated, so later writes
    /// inside that range cannot fail for lack of space.
    func allocate(to size: Int) throws
    /// Cuts the file back to `size` bytes (the commit log, when a reset finds it overgrown).
    func truncate(to size: Int) throws
    func close()
}

/// Maps errno to the error a caller can act on.
func posixError(_ what: String, _ code: Int32, path: String) -> StorageError {
    let text = String(cString: strerror(code))
    switch code {
    case ENOSPC, EDQUOT:
        return StorageError(.diskFull, "\(what) \(path): \(text); free disk space and retry")
    case EFBIG:
        return StorageError(.diskFull, "\(what) \(path): \(text); the file system limits file size")
    default:
        return StorageError(.io, "\(what) \(path): \(text)")
    }
}

final class PosixFile: StorageFile {
    let descriptor: Int32
    let path: String

    /// Opens (creating if missing) and takes an exclusive lock: two writers on one file
    /// would each believe they own the free pages.
    init(path: String) throws {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw posixError("open", errno, path: path) }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let code = errno
            Glibc.close(fd)
            if code == EWOULDBLOCK {
                throw StorageError(.locked, "\(path) is open by another Database or process")
            }
            throw posixError("lock", code, path: path)
        }
        self.descriptor = fd
        self.path = path
    }

    func size() throws -> Int {
        var st = stat()
        guard fstat(descriptor, &st) == 0 else { throw posixError("stat", errno, path: path) }
        return Int(st.st_size)
    }

    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int) throws -> Int {
        var done = 0
        while done < buffer.count {
            let n = pread(descriptor, buffer.baseAddress! + done, buffer.count - done, off_t(offset + done))  // safe: count > 0 so base is set
            if n < 0 {
                if errno == EINTR { continue }
                throw posixError("read", errno, path: path)
            }
            if n == 0 { break }
            done += n
        }
        return done
    }

    func write(_ buffers: [UnsafeRawBufferPointer], at offset: Int) throws {
        var position = offset
        // pwritev caps the number of vectors; 512 keeps well under every platform's IOV_MAX.
        var start = 0
        while start < buffers.count {
            let end = min(start + 512, buffers.count)
            var iov = buffers[start..<end].map {
                iovec(iov_base: UnsafeMutableRawPointer(mutating: $0.baseAddress), iov_len: $0.count)
            }
            var total = iov.reduce(0) { $0 + $1.iov_len }
            var first = 0
            while total > 0 {
                let n = iov[first...].withUnsafeBufferPointer {
                    pwritev(descriptor, $0.baseAddress, Int32($0.count), off_t(position))
                }
                if n < 0 {
                    if errno == EINTR { continue }
                    throw posixError("write", errno, path: path)
                }
                if n == 0 { throw StorageError(.io, "write \(path): no progress") }
                position += n
                total -= n
                var left = n
                // A short write: skip what was written and resume mid-vector.
                while left > 0 {
                    if left >= iov[first].iov_len {
                        left -= iov[first].iov_len
                        first += 1
                    } else {
                        iov[first].iov_base = iov[first].iov_base.map { $0 + left }
                        iov[first].iov_len -= left
                        left = 0
                    }
                }
            }
            start = end
        }
    }

    func sync() throws {
        while fdatasync(descriptor) != 0 {
            if errno == EINTR { continue }
            throw posixError("sync", errno, path: path)
        }
    }

    func allocate(to size: Int) throws {
        let current = try self.size()
        guard size > current else { return }
        let rc = posix_fallocate(descriptor, off_t(current), off_t(size - current))
        if rc == 0 { return }
        // Some file systems (tmpfs on old kernels, NFS) lack fallocate: extend sparsely.
        if rc == EOPNOTSUPP || rc == EINVAL {
            if ftruncate(descriptor, off_t(size)) == 0 { return }
            throw posixError("extend", errno, path: path)
        }
        throw posixError("allocate", rc, path: path)
    }

    func truncate(to size: Int) throws {
        while ftruncate(descriptor, off_t(size)) != 0 {
            if errno == EINTR { continue }
            throw posixError("truncate", errno, path: path)
        }
    }

    func close() {
        Glibc.close(descriptor)
    }
}

/// Makes a newly created file's directory entry durable.
func syncDirectory(of path: String) {
    let dir: String
    if let slash = path.lastIndex(of: "/") {
        dir = slash == path.startIndex ? "/" : String(path[..<slash])
    } else {
        dir = "."
    }
    let fd = open(dir, O_RDONLY | O_CLOEXEC)
    if fd >= 0 {
        _ = fsync(fd)
        Glibc.close(fd)
    }
}
