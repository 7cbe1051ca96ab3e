#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// How an ``HTTPServer`` listens and what it allows per connection and request.
public struct HTTPServerConfiguration: Sendable {
    /// Address to bind: an IPv4 or IPv6 literal, `"0.0.0.0"`, `"::"` (dual stack) or `"localhost"`.
    public var host: String = "127.0.0.1"
    /// TCP port; 0 picks a free one (read it back from ``HTTPServer/port``).
    public var port: Int = 8080
    /// Size of libmicrohttpd's thread pool; handlers run concurrently on these threads.
    public var threads: Int = HTTPServerConfiguration.activeProcessorCount
    /// Largest request body accepted; larger ones are answered 413 without being buffered.
    public var maxBodyBytes: Int = 1_048_576
    /// Most connections open at once, across all clients.
    public var connectionLimit: Int = 1024
    /// Most connections open at once from one IP address; 0 means unlimited.
    public var perIPConnectionLimit: Int = 0
    /// Seconds a connection may stay idle before it is closed; 0 means never.
    public var connectionTimeoutSeconds: Int = 30
    /// Seconds a new connection may take to deliver its first request's headers, however busily it
    /// trickles them (slow-loris); 0 means no such deadline.
    public var headerTimeoutSeconds: Int = 0
    /// Bytes libmicrohttpd may use per connection for headers and I/O buffers (bodies are buffered in Swift).
    /// libmicrohttpd zeroes the whole area after every request (its cost is measured in
    /// bench/RESULTS.md), so it is kept to what request lines and headers need.
    public var connectionMemoryLimit: Int = 16 * 1024
    /// PEM certificate chain; with ``tlsKeyPEM`` the server speaks HTTPS only.
    public var tlsCertificatePEM: String? = nil
    /// PEM private key for ``tlsCertificatePEM``.
    public var tlsKeyPEM: String? = nil

    /// The defaults: 127.0.0.1:8080, one thread per active core, 1 MiB bodies, plain HTTP.
    public init() {}

    /// Whether both TLS fields are set, so the server speaks HTTPS.
    public var usesTLS: Bool { tlsCertificatePEM != nil && tlsKeyPEM != nil }

    /// Cores available to this process (at least 1).
    static var activeProcessorCount: Int {
        max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))
    }
}
