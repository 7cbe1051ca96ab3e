import GRPCCore

extension EtcdClient {
    /// A new lease living `ttl` seconds without keep-alives.
    public func grantLease(ttl: Int64) async throws(EtcdError) -> EtcdLease {
        var request = Etcdserverpb_LeaseGrantRequest()
        request.ttl = ttl
        let message = request
        let r = try await call(idempotent: false) { c, options in
            try await c.lease.leaseGrant(message, options: options)
        }
        guard r.error.isEmpty else { throw .rejected(r.error) }
        return EtcdLease(id: r.id, ttl: r.ttl)
    }

    /// Renews a lease once: its TTL again, or 0 when it already expired.
    public func keepAlive(_ lease: Int64) async throws(EtcdError) -> Int64 {
        var request = Etcdserverpb_LeaseKeepAliveRequest()
        request.id = lease
        let message = request
        return try await call(idempotent: true) { c, options in
            try await c.lease.leaseKeepAlive(
                options: options, requestProducer: { writer in try await writer.write(message) },
                onResponse: { response in
                    for try await answer in response.messages { return answer.ttl }
                    throw RPCError(code: .unavailable, message: "keep-alive stream ended without an answer")
                })
        }
    }

    /// Ends a lease now; its keys are deleted.
    public func revokeLease(_ lease: Int64) async throws(EtcdError) {
        var request = Etcdserverpb_LeaseRevokeRequest()
        request.id = lease
        let message = request
        _ = try await call(idempotent: true) { c, options in
            try await c.lease.leaseRevoke(message, options: options)
        }
    }
}
