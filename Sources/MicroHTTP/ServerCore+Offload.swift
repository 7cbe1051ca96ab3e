import CMicroHTTPD
import CMicroHTTPDShims
import Dispatch
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

extension ServerCore {
    /// Runs a request's worker-thread work (``HTTPAnswer/onWorkerThread(_:)``, it may block). The
    /// connection is suspended meanwhile, so the libmicrohttpd thread that owns it keeps serving
    /// its other connections instead of waiting behind a disk write. The request is copied out
    /// first (headers, query, address): the work runs after this call returns. When the response
    /// is ready it is parked in the context and the connection resumed; libmicrohttpd then calls
    /// the access handler again, which sends it. Called with `context.connection` set; clears it.
    func offload(
        _ request: HTTPRequest, to work: @escaping @Sendable (HTTPRequest) -> HTTPResponse, connection: OpaquePointer,
        context: RequestContext
    ) -> MHD_Result {
        let copied = HTTPRequest(
            method: request.method, path: request.path,
            headers: HTTPRequest.values(.HEADER_KIND, of: connection).map { ($0.name, $0.value ?? "") },
            query: HTTPRequest.values(.GET_ARGUMENT_KIND, of: connection),
            body: request.body,
            remoteAddress: SocketAddress.describe(CMHD_connection_client_address(connection)),
            httpVersion: request.httpVersion)
        context.connection = nil
        let parked = Parked(request: copied, work: work, connection: connection, context: context)
        suspended.add(1, ordering: .relaxed)
        MHD_suspend_connection(connection)
        blockingQueue.async { [self] in
            Self.yieldToPollingThreads()
            // Handed over by MHD_resume_connection, whose lock orders this write before the next call.
            parked.context.pendingResponse = parked.work(parked.request)
            MHD_resume_connection(parked.connection)
            suspended.subtract(1, ordering: .releasing)
        }
        return .YES
    }

    /// Lowers the calling worker thread's priority to nice 10 (on Linux the nice value is per
    /// thread, and `who` 0 is the calling thread):
    /// when the cores are busy, the polling threads answering reads go first, and a storm of
    /// writes shows in the writes' latency rather than in everybody's.
    private static func yieldToPollingThreads() {
        #if os(Linux)
            _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 10)
        #endif
    }
}

/// A suspended request, its work, its connection and context, handed to the worker thread. Only the
/// worker touches them until it resumes the connection, so crossing threads is safe.
private struct Parked: @unchecked Sendable {
    let request: HTTPRequest
    let work: @Sendable (HTTPRequest) -> HTTPResponse
    let connection: OpaquePointer
    let context: RequestContext
}
