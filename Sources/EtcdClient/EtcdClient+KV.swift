import Foundation
import GRPCCore

extension EtcdClient {
    /// Keys from `key` (inclusive) to `end` (exclusive; nil: just `key`), at most `limit`
    /// (0: all), as of `revision` (0: now). Linearizable: served by the leader's view.
    /// `deadline`: when the call gives up (`callTimeout` from now unless given).
    public func range(
        key: [UInt8], end: [UInt8]? = nil, limit: Int64 = 0, revision: Int64 = 0, deadline: ContinuousClock.Instant? = nil
    ) async throws(EtcdError) -> EtcdRange {
        var request = Etcdserverpb_RangeRequest()
        request.key = Data(key)
        if let end { request.rangeEnd = Data(end) }
        request.limit = limit
        request.revision = revision
        request.sortOrder = .ascend
        request.sortTarget = .key
        let message = request
        let r = try await call(idempotent: true, deadline: deadline) { c, options in
            try await c.kv.range(message, metadata: Connection.requireLeader, options: options)
        }
        return EtcdRange(header: EtcdHeader(r.header), kvs: r.kvs.map(EtcdKeyValue.init), more: r.more)
    }

    /// Every key under `prefix`, read in pages of `pageSize` at one revision (the first
    /// page's), so the result is one consistent snapshot however large.
    public func rangePrefix(_ prefix: [UInt8], pageSize: Int64 = 1000) async throws(EtcdError) -> EtcdRange {
        let end = etcdPrefixEnd(prefix)
        var page = try await range(key: prefix, end: end, limit: pageSize)
        var all = page
        while page.more, let last = page.kvs.last {
            page = try await range(key: last.key + [0], end: end, limit: pageSize, revision: all.header.revision)
            all.kvs += page.kvs
        }
        all.more = false
        return all
    }

    /// One key, or nil, with the header of the read.
    public func get(_ key: [UInt8]) async throws(EtcdError) -> (header: EtcdHeader, kv: EtcdKeyValue?) {
        let r = try await range(key: key)
        return (r.header, r.kvs.first)
    }

    /// Sets a key; the header's revision is the write's.
    @discardableResult
    public func put(_ key: [UInt8], _ value: [UInt8], lease: Int64 = 0) async throws(EtcdError) -> EtcdHeader {
        var request = Etcdserverpb_PutRequest()
        request.key = Data(key)
        request.value = Data(value)
        request.lease = lease
        let message = request
        let r = try await call(idempotent: false) { c, options in
            try await c.kv.put(message, metadata: Connection.requireLeader, options: options)
        }
        return EtcdHeader(r.header)
    }

    /// Deletes a key (or the keys up to `end`): how many were deleted.
    @discardableResult
    public func delete(_ key: [UInt8], end: [UInt8]? = nil) async throws(EtcdError) -> (header: EtcdHeader, deleted: Int64) {
        var request = Etcdserverpb_DeleteRangeRequest()
        request.key = Data(key)
        if let end { request.rangeEnd = Data(end) }
        let message = request
        let r = try await call(idempotent: false) { c, options in
            try await c.kv.deleteRange(message, metadata: Connection.requireLeader, options: options)
        }
        return (EtcdHeader(r.header), r.deleted)
    }

    /// If every compare holds, runs `success`, else `failure`, atomically. Throws
    /// `indeterminate` when it may have been applied but no answer came (see `EtcdClient`).
    /// `deadline`: when the call gives up (`callTimeout` from now unless given);
    /// `attemptTimeout`: the longest one endpoint may take (else a share of the time left).
    public func txn(
        _ compares: [EtcdCompare], success: [EtcdOperation], failure: [EtcdOperation] = [],
        deadline: ContinuousClock.Instant? = nil, attemptTimeout: Duration? = nil
    ) async throws(EtcdError) -> EtcdTxnResult {
        var request = Etcdserverpb_TxnRequest()
        request.compare = compares.map(\.message)
        request.success = success.map(\.message)
        request.failure = failure.map(\.message)
        let message = request
        let r = try await call(idempotent: false, deadline: deadline, attemptTimeout: attemptTimeout) { c, options in
            try await c.kv.txn(message, metadata: Connection.requireLeader, options: options)
        }
        return EtcdTxnResult(header: EtcdHeader(r.header), succeeded: r.succeeded, results: r.responses.map(EtcdOperationResult.init))
    }

    /// Discards the history before `revision` (watches from older revisions then fail with `compacted`).
    public func compact(_ revision: Int64) async throws(EtcdError) {
        var request = Etcdserverpb_CompactionRequest()
        request.revision = revision
        request.physical = true
        let message = request
        _ = try await call(idempotent: false) { c, options in
            try await c.kv.compact(message, options: options)
        }
    }
}
