/// The HTTP server over libmicrohttpd (placeholder until the server lands).
public enum MicroHTTP {
    public static let serverName = "policyd"
}
