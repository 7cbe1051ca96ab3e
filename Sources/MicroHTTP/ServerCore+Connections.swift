import CMicroHTTPD
import CMicroHTTPDShims
import Synchronization

extension ServerCore {
    /// A connection was accepted: it holds an unread request until its first request begins.
    func connectionStarted(_ connection: OpaquePointer, _ socketContext: UnsafeMutablePointer<UnsafeMutableRawPointer?>) {
        let key = Unmanaged.passRetained(ConnectionState()).toOpaque()
        socketContext.pointee = key
        unreadConnections.add(1, ordering: .relaxed)
        if let headerWatchdog {
            let socket = CMHD_connection_socket(connection)
            if socket >= 0 { headerWatchdog.register(key, socket: socket) }
        }
    }

    /// A connection is closing: release its state (and its unread mark, if it never sent a request).
    func connectionClosed(_ socketContext: UnsafeMutablePointer<UnsafeMutableRawPointer?>) {
        guard let raw = socketContext.pointee else { return }
        socketContext.pointee = nil
        let state = Unmanaged<ConnectionState>.fromOpaque(raw).takeRetainedValue()
        if state.awaitingFirstRequest {
            // Before libmicrohttpd closes the socket (see HeaderWatchdog).
            headerWatchdog?.unregister(raw)
            unreadConnections.subtract(1, ordering: .releasing)
        }
    }

    /// The first call for a request: the connection's first request is no longer unread.
    func requestBegan(on state: ConnectionState) {
        if state.awaitingFirstRequest {
            state.awaitingFirstRequest = false
            headerWatchdog?.unregister(Unmanaged.passUnretained(state).toOpaque())
            unreadConnections.subtract(1, ordering: .releasing)
        }
    }

    /// The connection's state (nil only for a connection libmicrohttpd never announced).
    func connectionState(_ connection: OpaquePointer) -> ConnectionState? {
        guard let raw = CMHD_connection_socket_context(connection) else { return nil }
        return Unmanaged<ConnectionState>.fromOpaque(raw).takeUnretainedValue()
    }

    /// The request's path as a String: the connection's previous request's when the bytes are
    /// the same (no new String), else a new one, remembered for the next request.
    func path(_ url: UnsafePointer<CChar>, on connection: OpaquePointer) -> String {
        guard let state = connectionState(connection) else { return String(cString: url) }
        // A path that is not valid UTF-8 never equals its repaired String, so it is rebuilt each time.
        if ASCII.equals(state.lastPath, url) { return state.lastPath }
        let path = String(cString: url)
        state.lastPath = path
        return path
    }
}
