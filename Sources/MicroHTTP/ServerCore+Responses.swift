import CMicroHTTPD
import Logging

extension ServerCore {
    /// Queues `response` on the connection. A response libmicrohttpd will not take (bad status,
    /// a header with a line break) is logged and replaced by an empty 500: nothing fails into C.
    /// The body is kept in `context` until the request completes and sent from there, uncopied.
    func send(_ response: HTTPResponse, on connection: OpaquePointer, context: RequestContext, close: Bool) -> MHD_Result {
        guard (100...999).contains(response.status) else {
            logger.error("responder returned invalid status \(response.status); sending 500")
            return sendInternalError(on: connection)
        }
        context.sentBody = response.body
        if let lent = context.lentStorage {
            context.sentBodyIsLent = context.sentBody.withUnsafeBytes { $0.baseAddress } == lent
        }
        guard let mhdResponse = makeResponse(body: context.sentBody, response, close: close) else {
            return sendInternalError(on: connection)
        }
        let result = MHD_queue_response(connection, UInt32(response.status), mhdResponse)
        MHD_destroy_response(mhdResponse)
        return result
    }

    /// `body` must be the context's `sentBody`: libmicrohttpd keeps a pointer to its storage.
    private func makeResponse(body: [UInt8], _ response: HTTPResponse, close: Bool) -> OpaquePointer? {
        let created = body.withUnsafeBytes { bytes in
            // PERSISTENT: no copy. The storage outlives the response's sending (see RequestContext.sentBody);
            // an empty body passes no pointer at all.
            MHD_create_response_from_buffer(
                bytes.count, bytes.count == 0 ? nil : UnsafeMutableRawPointer(mutating: bytes.baseAddress), .RESPMEM_PERSISTENT)
        }
        guard let created else {
            logger.error("libmicrohttpd could not create a response of \(response.body.count) bytes; sending 500")
            return nil
        }
        for header in response.headers where !ASCII.caseInsensitiveEquals(header.name, "Content-Length") {
            // withCString, not the implicit conversion: that copies small strings to the heap.
            let added = header.name.withCString { name in
                header.value.withCString { value in MHD_add_response_header(created, name, value) }
            }
            guard added == .YES else {
                logger.error("libmicrohttpd refused response header \"\(header.name)\"; sending 500")
                MHD_destroy_response(created)
                return nil
            }
        }
        if close { _ = MHD_add_response_header(created, "Connection", "close") }
        return created
    }

    private func sendInternalError(on connection: OpaquePointer) -> MHD_Result {
        guard let empty = MHD_create_response_from_buffer(0, nil, .RESPMEM_MUST_COPY) else { return .NO }
        let result = MHD_queue_response(connection, 500, empty)
        MHD_destroy_response(empty)
        return result
    }
}
