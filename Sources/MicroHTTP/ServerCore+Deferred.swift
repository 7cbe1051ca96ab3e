import CMicroHTTPD
import Locking
import Synchronization

/// Answers a suspended request once, from any thread: the first ``complete(_:)`` wins.
public final class HTTPResponseCompletion: @unchecked Sendable {
    // Only the completing thread touches the connection and context until it resumes the connection.
    private let connection: OpaquePointer
    private let context: RequestContext
    private let core: ServerCore
    let fallback: HTTPResponse
    private let done = Atomic<Bool>(false)

    init(core: ServerCore, connection: OpaquePointer, context: RequestContext, fallback: HTTPResponse) {
        self.core = core
        self.connection = connection
        self.context = context
        self.fallback = fallback
    }

    /// Sends `response` on the suspended connection: true for the first call; later calls do nothing (false).
    @discardableResult
    public func complete(_ response: HTTPResponse) -> Bool {
        guard !done.exchange(true, ordering: .acquiringAndReleasing) else { return false }
        core.waiting.withLock { _ = $0.removeValue(forKey: ObjectIdentifier(self)) }
        // Handed over by MHD_resume_connection, whose lock orders this write before the next call.
        context.pendingResponse = response
        MHD_resume_connection(connection)
        core.suspended.subtract(1, ordering: .releasing)
        return true
    }

    /// Whether the request was answered already (by ``complete(_:)`` or because the server stopped).
    public var isCompleted: Bool { done.load(ordering: .acquiring) }
}

extension ServerCore {
    /// Suspends the connection of a request answered ``HTTPAnswer/later(ifStopped:_:)`` and
    /// hands its completion to the responder's `start`. Called with `context.connection` set; clears it.
    func suspendUntilCompleted(_ deferral: HTTPDeferral, connection: OpaquePointer, context: RequestContext) -> MHD_Result {
        context.connection = nil
        let completion = HTTPResponseCompletion(core: self, connection: connection, context: context, fallback: deferral.fallback)
        suspended.add(1, ordering: .relaxed)
        waiting.withLock { $0[ObjectIdentifier(completion)] = completion }
        MHD_suspend_connection(connection)
        // Registered before the check: either the stop sees it waiting, or it sees the stop.
        if stopping.load(ordering: .acquiring) {
            completion.complete(deferral.fallback)
            return .YES
        }
        deferral.start(completion)
        return .YES
    }

    /// Answers every request still waiting with its `ifStopped` response (the server is stopping).
    func completeWaiting() {
        stopping.store(true, ordering: .releasing)
        let left = waiting.withLock { w in
            defer { w.removeAll() }
            return Array(w.values)
        }
        for completion in left { completion.complete(completion.fallback) }
    }
}
