import Foundation

/// Collects log lines and writes them to a file descriptor in batches: a request line
/// costs an append under a short lock instead of a locked, flushed `fputs` each.
/// A background thread flushes every 50 ms; warnings and worse, and `flush()`, go out
/// at once. Lines of a process killed with SIGKILL may be lost (up to 50 ms of them).
final class LogSink: @unchecked Sendable {
    static let standardError = LogSink(fileDescriptor: 2)

    private let fd: Int32
    private let lock = NSLock()
    private let flushLock = NSLock()
    private var pending: [UInt8] = []

    init(fileDescriptor: Int32) {
        fd = fileDescriptor
        pending.reserveCapacity(64 * 1024)
        let thread = Thread { [weak self] in
            while let sink = self {
                sink.flush()
                Thread.sleep(forTimeInterval: 0.05)
            }
        }
        thread.name = "policyd-log"
        thread.start()
    }

    /// Queues one line (with its newline); writes at once when `urgent` or much is queued.
    func write(_ line: String, urgent: Bool) {
        lock.lock()
        pending.append(contentsOf: line.utf8)
        let full = pending.count >= 64 * 1024
        lock.unlock()
        if urgent || full { flush() }
    }

    /// Writes everything queued so far.
    func flush() {
        flushLock.lock()
        defer { flushLock.unlock() }
        var batch: [UInt8] = []
        lock.lock()
        swap(&batch, &pending)
        pending.reserveCapacity(batch.count)
        lock.unlock()
        var offset = 0
        while offset < batch.count {
            let written = batch.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if written < 0 {
                if errno == EINTR { continue }
                return
            }
            offset += written
        }
    }
}
