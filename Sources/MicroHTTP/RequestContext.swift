/// What the server keeps for one request between libmicrohttpd's calls to the access handler.
///
/// libmicrohttpd stores it (retained, through `Unmanaged`) in the request's `con_cls` slot and
/// hands it back on every call for that request, always on the thread that owns the connection,
/// so it needs no lock. The request-completed callback takes it back and keeps it, reset, in the
/// connection's state for the connection's next request (keep-alive clients send many): one
/// object per connection rather than per request, and the body and response buffers keep their
/// storage from one request to the next.
final class RequestContext {
    /// Largest buffer kept from one request for the next; larger ones are freed, so that an idle
    /// connection holds at most this much per buffer.
    static let maxKeptCapacity = 4096

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
    /// request-completed callback: libmicrohttpd reads a response's data only while sending
    /// it, which ends before that callback. Between requests it is the empty buffer that
    /// ``HTTPRequest/responseBuffer(capacity:)`` hands to the next request's responder.
    var sentBody: [UInt8] = []
    /// The storage of the buffer lent to the responder, to recognise it in the response.
    var lentStorage: UnsafeRawPointer?
    /// `sentBody` is the lent buffer, held by nobody else: it is kept for the next request. Any
    /// other body (a shared constant, a cached document) is let go, never emptied in place.
    var sentBodyIsLent = false

    /// Ready for the connection's next request; buffers keep their storage when it is small.
    func reset() {
        Self.clear(&body)
        if sentBodyIsLent {
            Self.clear(&sentBody)
        } else {
            sentBody = []
        }
        lentStorage = nil
        sentBodyIsLent = false
        bodyTooLarge = false
        responded = false
        discardedBytes = 0
        connection = nil
        pendingResponse = nil
    }

    private static func clear(_ buffer: inout [UInt8]) {
        if buffer.capacity <= maxKeptCapacity {
            buffer.removeAll(keepingCapacity: true)
        } else {
            buffer = []
        }
    }
}
