import CMicroHTTPD
import CMicroHTTPDShims

// libmicrohttpd's callbacks. They are plain, non-capturing `@convention(c)` functions (kept out of
// main.swift, where they would be main-actor isolated), and reach the server only through the
// `cls` pointer: an unretained view of the `ServerCore` that `HTTPServer` keeps retained for as long
// as the daemon runs.

/// `MHD_AccessHandlerCallback`: called for every request, several times (see `ServerCore.access`).
func mhdAccessHandler(
    cls: UnsafeMutableRawPointer?,
    connection: OpaquePointer?,
    url: UnsafePointer<CChar>?,
    method: UnsafePointer<CChar>?,
    version: UnsafePointer<CChar>?,
    uploadData: UnsafePointer<CChar>?,
    uploadDataSize: UnsafeMutablePointer<Int>?,
    conCls: UnsafeMutablePointer<UnsafeMutableRawPointer?>?
) -> MHD_Result {
    guard let cls, let connection, let url, let method, let version, let uploadDataSize, let conCls else {
        return .NO
    }
    return Unmanaged<ServerCore>.fromOpaque(cls).takeUnretainedValue().access(
        connection: connection,
        url: url,
        method: method,
        version: version,
        upload: uploadData,
        uploadSize: uploadDataSize,
        slot: conCls
    )
}

/// `MHD_RequestCompletedCallback`: the request is over (answered, aborted or shut down).
func mhdRequestCompleted(
    cls: UnsafeMutableRawPointer?,
    connection: OpaquePointer?,
    conCls: UnsafeMutablePointer<UnsafeMutableRawPointer?>?,
    reason: MHD_RequestTerminationCode
) {
    guard let cls, let conCls else { return }
    Unmanaged<ServerCore>.fromOpaque(cls).takeUnretainedValue().complete(slot: conCls, connection: connection)
}

/// `MHD_LogCallback`: a message from libmicrohttpd, as a printf format and its arguments.
func mhdLog(cls: UnsafeMutableRawPointer?, format: UnsafePointer<CChar>?, arguments: CVaListPointer?) {
    guard let cls, let format, let arguments else { return }
    var message = withUnsafeTemporaryAllocation(of: CChar.self, capacity: 512) { buffer in
        CMHD_format_message(buffer.baseAddress!, buffer.count, format, arguments)
        return String(cString: buffer.baseAddress!)
    }
    while message.last?.isNewline == true { message.removeLast() }
    Unmanaged<ServerCore>.fromOpaque(cls).takeUnretainedValue().libraryLogged(message)
}

/// `MHD_NotifyConnectionCallback`: a connection was accepted or is being closed.
func mhdConnectionNotify(
    cls: UnsafeMutableRawPointer?,
    connection: OpaquePointer?,
    socketContext: UnsafeMutablePointer<UnsafeMutableRawPointer?>?,
    code: MHD_ConnectionNotificationCode
) {
    guard let cls, let connection, let socketContext else { return }
    let core = Unmanaged<ServerCore>.fromOpaque(cls).takeUnretainedValue()
    if code.rawValue == 0 {  // MHD_CONNECTION_NOTIFY_STARTED
        core.connectionStarted(connection, socketContext)
    } else {
        core.connectionClosed(socketContext)
    }
}
