internal import CMicroHTTPD
internal import CMicroHTTPDShims

extension ServerCore {
    /// A connection was accepted: it holds an unread request until its first request begins.
    func connectionStarted(_ socketContext: UnsafeMutablePointer<UnsafeMutableRawPointer?>) {
        socketContext.pointee = Unmanaged.passRetained(ConnectionState()).toOpaque()
        unreadConnections.add(1, ordering: .relaxed)
    }

    /// A connection is closing: release its state (and its unread mark, if it never sent a request).
    func connectionClosed(_ socketContext: UnsafeMutablePointer<UnsafeMutableRawPointer?>) {
        guard let raw = socketContext.pointee else { return }
        socketContext.pointee = nil
        let state = Unmanaged<ConnectionState>.fromOpaque(raw).takeRetainedValue()
        if state.awaitingFirstRequest { unreadConnections.subtract(1, ordering: .releasing) }
    }

    /// The first call for a request: the connection's first request is no longer unread.
    func requestBegan(on connection: OpaquePointer) {
        guard let raw = CMHD_connection_socket_context(connection) else { return }
        let state = Unmanaged<ConnectionState>.fromOpaque(raw).takeUnretainedValue()
        if state.awaitingFirstRequest {
            state.awaitingFirstRequest = false
            unreadConnections.subtract(1, ordering: .releasing)
        }
    }
}
