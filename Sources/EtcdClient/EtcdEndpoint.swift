/// One etcd client URL, `http://host:port` (plain text; no TLS in this client).
public struct EtcdEndpoint: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int

    /// Parses `http://host:port`, `http://[v6]:port` or `host:port`; the port defaults to 2379.
    public init(url: String) throws(EtcdError) {
        var rest = Substring(url)
        if rest.hasPrefix("http://") {
            rest = rest.dropFirst(7)
        } else if rest.contains("://") {
            throw .invalidEndpoint("\(url): only http:// endpoints are supported")
        }
        while rest.last == "/" { rest = rest.dropLast() }
        var host = rest
        var port = 2379
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { throw .invalidEndpoint("\(url): unclosed [") }
            host = rest[rest.index(after: rest.startIndex)..<close]
            let after = rest[rest.index(after: close)...]
            if after.hasPrefix(":") {
                guard let p = Int(after.dropFirst()) else { throw .invalidEndpoint("\(url): bad port") }
                port = p
            } else if !after.isEmpty {
                throw .invalidEndpoint("\(url): unexpected \(after)")
            }
        } else if let colon = rest.lastIndex(of: ":") {
            host = rest[..<colon]
            guard let p = Int(rest[rest.index(after: colon)...]) else { throw .invalidEndpoint("\(url): bad port") }
            port = p
        }
        guard !host.isEmpty, !host.contains("/"), (1...65535).contains(port) else {
            throw .invalidEndpoint("\(url): expected http://host:port")
        }
        self.host = String(host)
        self.port = port
    }

    /// A comma-separated list of endpoints (empty items skipped); at least one.
    public static func list(_ text: String) throws(EtcdError) -> [EtcdEndpoint] {
        var out: [EtcdEndpoint] = []
        for item in text.split(separator: ",") where !item.allSatisfy({ $0 == " " }) {
            out.append(try EtcdEndpoint(url: item.trimmingCharacters(in: " ")))
        }
        guard !out.isEmpty else { throw .invalidEndpoint("no etcd endpoint in \"\(text)\"") }
        return out
    }

    public var description: String {
        host.contains(":") ? "http://[\(host)]:\(port)" : "http://\(host):\(port)"
    }
}

extension Substring {
    fileprivate func trimmingCharacters(in set: Character) -> String {
        var s = self
        while s.first == set { s.removeFirst() }
        while s.last == set { s.removeLast() }
        return String(s)
    }
}
