import Foundation
import Glibc

/// Why a path the server needs is out of its reach, in terms one can act on: who policyd runs
/// as and who owns the path. In a container that is uid 10001 facing a root-owned mount.
enum AccessHint {
    enum Need: String {
        case read = "readable"
        case write = "writable"
    }

    /// A sentence naming the process's ids and the path's owner and mode, or nil when the
    /// process has the access it needs (or the path does not exist: that error says so itself).
    static func describe(_ path: String, needs need: Need) -> String? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        let directory = (info.st_mode & S_IFMT) == S_IFDIR
        var mode = need == .read ? R_OK : R_OK | W_OK
        if directory { mode |= X_OK }
        guard access(path, mode) != 0, errno == EACCES || errno == EPERM || errno == EROFS else { return nil }
        if errno == EROFS { return "\(path) is on a read-only file system" }
        let ids = "\(getuid()):\(getgid())"
        let remedy =
            need == .read
            ? "chown \(ids) and mode 0400 on the host" : "chown \(ids) on the host, or a named volume instead of a bind mount"
        return "\(path) (owner \(info.st_uid):\(info.st_gid), mode 0\(String(info.st_mode & 0o7777, radix: 8))) is not "
            + "\(need.rawValue) by uid \(getuid()) gid \(getgid()), which policyd runs as (\(remedy))"
    }

    /// For a data directory that could not be opened: the first of its subdirectories, itself or
    /// (when it does not exist yet) its nearest existing parent that policyd cannot write to.
    static func dataDirectory(_ path: String) -> String? {
        var candidates = [path + "/policies", path + "/peers"]
        var dir = path
        while true {
            candidates.append(dir)
            if FileManager.default.fileExists(atPath: dir) { break }
            let parent = (dir as NSString).deletingLastPathComponent
            let next = parent.isEmpty ? "." : parent
            if next == dir { break }
            dir = next
        }
        return candidates.lazy.compactMap { describe($0, needs: .write) }.first
    }
}
