/// What the server keeps for one request between libmicrohttpd's calls to the access handler.
///
/// libmicrohttpd stores it (retained, through `Unmanaged`) in the request's `con_cls` slot and
/// hands it back on every call for that request, always on the thread that owns the connection,
/// so it needs no lock. The request-completed callback releases it.
final class RequestContext {
    /// The body received so far.
    var body: [UInt8] = []
    /// The body passed `maxBodyBytes`: what is left of it is read and dropped, and the answer is 413.
    var bodyTooLarge = false
    /// A response is already queued (the early 413); anything still arriving is dropped.
    var responded = false
    /// Bytes dropped after the body was found too large.
    var discardedBytes = 0
    /// The connection, set only while the responder runs, so that ``HTTPRequest`` can look up
    /// headers lazily and finds nothing (instead of a dangling pointer) once the handler returned.
    var connection: OpaquePointer?
    /// The answer of an offloaded request, set by the worker before it resumes the connection.
    var pendingResponse: HTTPResponse?
    /// The body of the queued response. libmicrohttpd sends it from this array's storage
    /// (`MHD_RESPMEM_PERSISTENT`, no copy), so it stays here, unchanged, until the
    /// request-completed callback releases the context: libmicrohttpd reads a response's
    /// data only while sending it, which ends before that callback.
    var sentBody: [UInt8] = []
}
