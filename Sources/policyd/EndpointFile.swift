import Foundation

/// `--endpoint-file`: where the server says, once it listens, the URL it answers on, so that a
/// health check follows the real scheme, address and port whether they came from flags, the
/// environment or defaults (the container's HEALTHCHECK reads it). Removed when draining starts.
struct EndpointFile {
    let path: String

    /// The base URL a client on this machine reaches the server at: a wildcard address becomes
    /// the loopback address of its family, an IPv6 address gets brackets.
    static func url(host: String, port: Int, tls: Bool) -> String {
        let reachable: String
        switch host {
        case "", "0.0.0.0": reachable = "127.0.0.1"
        case "::", "0:0:0:0:0:0:0:0", "[::]": reachable = "[::1]"
        default: reachable = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        }
        return "\(tls ? "https" : "http")://\(reachable):\(port)"
    }

    /// Replaces the file's content atomically (a reader never sees half a URL).
    func write(_ url: String) throws {
        try Data((url + "\n").utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}
