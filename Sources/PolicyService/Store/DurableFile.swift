import Glibc
import Synchronization

/// Crash-safe file primitives: a write lands whole or not at all, and survives a crash
/// once the call returns.
enum DurableFile {
    private static let sequence = Atomic<Int>(0)

    /// Writes `bytes` to `path` atomically and durably: a temporary file in the same
    /// directory, fsync, rename over the target, fsync the directory.
    static func write(_ bytes: [UInt8], to path: String, directory: String) throws(StoreError) {
        let n = sequence.add(1, ordering: .relaxed).newValue
        let name = path.split(separator: "/").last.map(String.init) ?? "file"
        let temp = "\(directory)/.\(name).\(getpid()).\(n).tmp"
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw failure("create", temp) }
        var ok = false
        defer {
            if !ok { unlink(temp) }
        }
        do {
            defer { close(fd) }
            var offset = 0
            while offset < bytes.count {
                let written = bytes.withUnsafeBytes { raw in
                    Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
                }
                if written < 0 {
                    if errno == EINTR { continue }
                    throw failure("write", temp)
                }
                offset += written
            }
            guard fsync(fd) == 0 else { throw failure("fsync", temp) }
        }
        guard rename(temp, path) == 0 else { throw failure("rename", path) }
        ok = true
        try syncDirectory(directory)
    }

    /// Removes `path` durably; false when it did not exist.
    static func remove(_ path: String, directory: String) throws(StoreError) -> Bool {
        if unlink(path) != 0 {
            if errno == ENOENT { return false }
            throw failure("unlink", path)
        }
        try syncDirectory(directory)
        return true
    }

    /// The whole file, or nil when it does not exist.
    static func read(_ path: String) throws(StoreError) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT { return nil }
            throw failure("open", path)
        }
        defer { close(fd) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let got = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress!, $0.count) }
            if got < 0 {
                if errno == EINTR { continue }
                throw failure("read", path)
            }
            if got == 0 { return out }
            out.append(contentsOf: chunk[0..<got])
        }
    }

    /// Names of the entries of `directory` (no `.` and `..`).
    static func list(_ directory: String) throws(StoreError) -> [String] {
        guard let dir = opendir(directory) else { throw failure("opendir", directory) }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// Creates `path` (and parents) when missing.
    static func makeDirectory(_ path: String) throws(StoreError) {
        var prefix = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") {
            prefix += "/" + part
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST {
                throw failure("mkdir", prefix)
            }
        }
    }

    private static func syncDirectory(_ directory: String) throws(StoreError) {
        let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw failure("open", directory) }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw failure("fsync", directory) }
    }

    private static func failure(_ operation: String, _ path: String) -> StoreError {
        StoreError("\(operation) \(path): \(String(cString: strerror(errno)))")
    }
}
