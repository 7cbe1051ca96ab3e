import Foundation
import GRPCCore

extension EtcdClient {
    /// Watches every key under `prefix` from `revision` on (inclusive): batches of events
    /// in revision order, as long as the stream lives. The sequence ends by throwing an
    /// `EtcdError`: `compacted` when `revision` is older than the history etcd kept,
    /// `canceled` when etcd dropped the watch, `unavailable` when the connection broke
    /// (resume from the last revision seen + 1; the next attempt uses the next endpoint).
    /// Stop it by cancelling the task that iterates.
    public func watch(prefix: [UInt8], from revision: Int64) -> AsyncThrowingStream<EtcdWatchBatch, any Error> {
        var create = Etcdserverpb_WatchCreateRequest()
        create.key = Data(prefix)
        create.rangeEnd = Data(etcdPrefixEnd(prefix))
        create.startRevision = revision
        create.progressNotify = true
        var request = Etcdserverpb_WatchRequest()
        request.createRequest = create
        let message = request
        let (stream, continuation) = AsyncThrowingStream<EtcdWatchBatch, any Error>.makeStream()
        let (connection, index) = currentConnection()
        let task = Task {
            // The request side stays open until the answers end (a half-closed stream may end the watch).
            let (done, finished) = AsyncStream<Void>.makeStream()
            do {
                var options = CallOptions.defaults
                options.waitForReady = false
                options.maxResponseMessageBytes = 64 * 1024 * 1024
                try await connection.watch.watch(
                    // A member that lost its leader cancels the watch instead of going quiet.
                    metadata: ["hasleader": "true"], options: options,
                    requestProducer: { writer in
                        try await writer.write(message)
                        for await _ in done {}
                    },
                    onResponse: { response in
                        defer { finished.finish() }
                        for try await message in response.messages {
                            if message.compactRevision > 0 { throw EtcdError.compacted(message.compactRevision) }
                            if message.canceled { throw EtcdError.canceled(message.cancelReason) }
                            if message.created {
                                continuation.yield(EtcdWatchBatch(header: EtcdHeader(message.header), events: [], created: true))
                                continue
                            }
                            let events = message.events.map { e in
                                EtcdEvent(kind: e.type == .delete ? .delete : .put, kv: EtcdKeyValue(e.kv))
                            }
                            continuation.yield(EtcdWatchBatch(header: EtcdHeader(message.header), events: events))
                        }
                        throw EtcdError.unavailable("\(connection.endpoint): the watch stream ended")
                    })
                finished.finish()
                continuation.finish(throwing: EtcdError.unavailable("\(connection.endpoint): the watch stream ended"))
            } catch {
                finished.finish()
                let mapped = Self.map(error, endpoint: connection.endpoint)
                if case .unavailable = mapped { self.rotate(from: index) }
                continuation.finish(throwing: Task.isCancelled ? EtcdError.closed : mapped)
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }
}
