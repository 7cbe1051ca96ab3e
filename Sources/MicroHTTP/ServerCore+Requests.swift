import CMicroHTTPD
import Synchronization

extension ServerCore {
    /// Largest body buffer reserved up front from a declared Content-Length, so that clients that
    /// announce a big body and then stall do not pin much memory.
    static let maxReservedBodyBytes = 64 * 1024

    /// One call of libmicrohttpd's access handler.
    ///
    /// libmicrohttpd calls this several times per request. Answering on the first call makes it
    /// close the connection after the response (it loses keep-alive, about 6x the throughput), so:
    /// the first call only creates the request context; the following calls consume upload data;
    /// the call with `*uploadSize == 0` after that answers. The one exception is a declared
    /// Content-Length over the cap: that is answered on the first call, before the body (or a
    /// `100 Continue`) goes anywhere, and libmicrohttpd then closes the connection.
    func access(
        connection: OpaquePointer,
        url: UnsafePointer<CChar>,
        method: UnsafePointer<CChar>,
        version: UnsafePointer<CChar>,
        upload: UnsafePointer<CChar>?,
        uploadSize: UnsafeMutablePointer<Int>,
        slot: UnsafeMutablePointer<UnsafeMutableRawPointer?>
    ) -> MHD_Result {
        guard let raw = slot.pointee else {
            return begin(connection: connection, url: url, method: method, slot: slot)
        }
        let context = Unmanaged<RequestContext>.fromOpaque(raw).takeUnretainedValue()
        let size = uploadSize.pointee
        if size > 0 {
            uploadSize.pointee = 0
            return receive(upload, count: size, into: context)
        }
        if let pending = context.pendingResponse {
            // An offloaded request's answer, back after MHD_resume_connection.
            context.pendingResponse = nil
            return send(pending, on: connection, context: context, close: draining.load(ordering: .relaxed))
        }
        if context.responded { return .YES }
        if context.bodyTooLarge {
            context.responded = true
            return rejectTooLarge(connection: connection, url: url, method: method, context: context)
        }
        return answer(connection: connection, url: url, method: method, version: version, context: context)
    }

    /// Called from the request-completed callback: ends the in-flight count and keeps the
    /// context, reset, for the connection's next request (or frees it without a connection state).
    func complete(slot: UnsafeMutablePointer<UnsafeMutableRawPointer?>, connection: OpaquePointer?) {
        guard let raw = slot.pointee else { return }
        slot.pointee = nil
        let context = Unmanaged<RequestContext>.fromOpaque(raw).takeRetainedValue()
        if let connection, let state = connectionState(connection) {
            context.reset()
            state.spareContext = context
        }
        inFlight.subtract(1, ordering: .releasing)
    }

    private func begin(
        connection: OpaquePointer,
        url: UnsafePointer<CChar>,
        method: UnsafePointer<CChar>,
        slot: UnsafeMutablePointer<UnsafeMutableRawPointer?>
    ) -> MHD_Result {
        let state = connectionState(connection)
        let context = state?.spareContext ?? RequestContext()
        state?.spareContext = nil
        slot.pointee = Unmanaged.passRetained(context).toOpaque()
        inFlight.add(1, ordering: .relaxed)
        if let state { requestBegan(on: state) }
        guard let declared = MHD_lookup_connection_value(connection, .HEADER_KIND, "Content-Length") else {
            return .YES
        }
        guard let length = ASCII.parseDecimal(declared), length <= maxBodyBytes else {
            context.responded = true
            return rejectTooLarge(connection: connection, url: url, method: method, context: context)
        }
        context.body.reserveCapacity(min(length, Self.maxReservedBodyBytes))
        return .YES
    }

    private func receive(_ upload: UnsafePointer<CChar>?, count: Int, into context: RequestContext) -> MHD_Result {
        if context.bodyTooLarge || context.responded {
            // Drop the rest, but not forever: past another `maxBodyBytes` the sender is hung up on.
            context.discardedBytes += count
            return context.discardedBytes > max(maxBodyBytes, Self.maxReservedBodyBytes) ? .NO : .YES
        }
        guard context.body.count + count <= maxBodyBytes else {
            // libmicrohttpd does not accept a response while a body is arriving, so the 413 goes
            // out when the body ends; until then it is read and dropped.
            context.bodyTooLarge = true
            context.body = []
            context.discardedBytes = count
            return .YES
        }
        context.body.append(contentsOf: UnsafeRawBufferPointer(start: upload, count: count))
        return .YES
    }

    private func answer(
        connection: OpaquePointer,
        url: UnsafePointer<CChar>,
        method: UnsafePointer<CChar>,
        version: UnsafePointer<CChar>,
        context: RequestContext
    ) -> MHD_Result {
        context.responded = true
        var body: [UInt8] = []
        swap(&body, &context.body)
        var request = HTTPRequest(
            method: ASCII.string(method, knownValues: ASCII.commonMethods), path: path(url, on: connection), body: body,
            httpVersion: ASCII.string(version, knownValues: ASCII.commonVersions), context: context)
        context.connection = connection
        let response: HTTPResponse
        switch responder.respond(to: request) {
        case .now(let answer): response = answer
        case .onWorkerThread(let work): return offload(request, to: work, connection: connection, context: context)
        case .deferred(let deferral): return suspendUntilCompleted(deferral, connection: connection, context: context)
        }
        context.connection = nil
        // The body's storage goes back to the context, for the connection's next request.
        swap(&request.body, &context.body)
        return send(response, on: connection, context: context, close: draining.load(ordering: .relaxed))
    }

    private func rejectTooLarge(
        connection: OpaquePointer,
        url: UnsafePointer<CChar>,
        method: UnsafePointer<CChar>,
        context: RequestContext
    ) -> MHD_Result {
        let response = responder.reject(
            .payloadTooLarge(limit: maxBodyBytes),
            method: String(cString: method),
            path: String(cString: url)
        )
        // The rest of the body is never read, so the connection cannot carry another request.
        return send(response, on: connection, context: context, close: true)
    }
}
