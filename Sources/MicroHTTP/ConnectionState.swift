/// What the server keeps per TCP connection, in libmicrohttpd's socket context: whether a
/// request has begun on it yet, its last request's path, and the request context its next
/// request will use.
///
/// A connection accepted while every pool thread was busy may hold a complete request that
/// nobody has read: shutdown waits for such connections too, not only for requests begun.
/// Created and released by the connection-notify callback, read and written by the access
/// handler and the request-completed callback, all on the thread that owns the connection, so
/// it needs no lock. Its address is also the connection's key in the `HeaderWatchdog`.
final class ConnectionState {
    var awaitingFirstRequest = true
    /// The path of the connection's last request: keep-alive clients repeat theirs, and
    /// reusing the String saves building (and, past 15 bytes, allocating) it again.
    var lastPath = ""
    /// The finished request's context, reset, for the next request (see `RequestContext`).
    var spareContext: RequestContext?
}
