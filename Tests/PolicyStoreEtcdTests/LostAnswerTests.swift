import EtcdClient
import EtcdTestServer
import Foundation
import PolicyService
import PolicyStoreEtcd
import Testing

/// Writes whose answer is lost on the way (the connection to etcd drops under them, as when
/// a member dies or an election stalls a proposal): sent again within the call's time, they
/// land exactly once, or answer a conflict when someone else changed the document.
@Suite struct LostAnswerTests {
    /// etcd, a proxy in front of it, a store whose client goes through the proxy (its
    /// connection already up) and a client that goes straight to etcd.
    struct Setup {
        let etcd: EtcdProcess
        let proxy: TCPProxy
        let store: EtcdPolicyStore
        let direct: EtcdClient
        let dir = NSTemporaryDirectory() + "policyd-lost-" + UUID().uuidString
        let key = Array("/policyd/policies/3".utf8)

        init(timeout: Duration = .seconds(5)) async throws {
            etcd = try await EtcdProcess.started()
            proxy = try TCPProxy(to: etcd.clientPort)
            direct = try EtcdClient(etcd.endpoint, callTimeout: .seconds(5))
            let client = try EtcdClient(proxy.endpoint, callTimeout: timeout)
            store = try EtcdPolicyStore(client: client, prefix: "/policyd/", peerDirectory: dir)
            _ = try await client.get(key)
        }

        /// Stores `bytes` directly: the document a write then expects.
        func seed(_ bytes: [UInt8]) async throws -> WriteExpectation {
            let header = try await direct.put(key, bytes)
            return .document(StoredDocument(bytes: bytes, revision: header.revision))
        }

        /// Runs `write` with `direction` dropped; once `arrived` holds in etcd (or 0.3 s later,
        /// and `meanwhile` ran) cuts the connection under it; its result.
        func losing<T: Sendable>(
            _ direction: TCPProxy.Direction, until arrived: (@Sendable (EtcdKeyValue?) -> Bool)? = nil,
            meanwhile: () async throws -> Void = {}, _ write: @escaping @Sendable () throws -> T
        ) async throws -> T {
            proxy.dropping(direction)
            let running = Task { try await onThread(write) }
            if let arrived {
                #expect(await eventuallyAsync { arrived(try? await direct.get(key).kv) })
            } else {
                try await Task.sleep(for: .milliseconds(300))
            }
            try await meanwhile()
            proxy.cut()
            return try await running.value
        }

        func close() {
            proxy.stop()
            store.client.close()
            direct.close()
            try? FileManager.default.removeItem(atPath: dir)
        }
    }

    @Test func aConditionalPutAppliedWhoseAnswerWasLostAnswersItsRevisionAndIsAppliedOnce() async throws {
        let s = try await Setup()
        defer { s.close() }
        let expected = try await s.seed(allowPortPolicy(1))
        let saved = try await s.losing(.answers, until: { $0?.value == allowPortPolicy(2) }) {
            try s.store.write(allowPortPolicy(2), for: 3, expecting: expected)
        }
        let now = try #require(try await s.direct.get(s.key).kv)
        #expect(now.value == allowPortPolicy(2))
        #expect(saved.revision == now.modRevision)
        #expect(now.version == 2)  // the seed, then this write once
        #expect(try s.store.stored(3)?.revision == now.modRevision)
    }

    @Test func aConditionalPutThatNeverArrivedIsSentAgainAndAppliedOnce() async throws {
        let s = try await Setup()
        defer { s.close() }
        let expected = try await s.seed(allowPortPolicy(1))
        let saved = try await s.losing(.requests) { try s.store.write(allowPortPolicy(2), for: 3, expecting: expected) }
        let now = try #require(try await s.direct.get(s.key).kv)
        #expect(now.value == allowPortPolicy(2))
        #expect(saved.revision == now.modRevision)
        #expect(now.version == 2)
    }

    @Test func aConditionalPutLostWhileAnotherWriterChangedTheDocumentIsAConflict() async throws {
        let s = try await Setup()
        defer { s.close() }
        let expected = try await s.seed(allowPortPolicy(1))
        await #expect {
            // Someone else's write lands while this one's request is lost.
            try await s.losing(.requests, meanwhile: { _ = try await s.direct.put(s.key, allowPortPolicy(9)) }) {
                try s.store.write(allowPortPolicy(2), for: 3, expecting: expected)
            }
        } throws: { error in
            (error as? StoreError)?.kind == .conflict
        }
        #expect(try await s.direct.get(s.key).kv?.value == allowPortPolicy(9))
    }

    @Test func anUnconditionalPutWhoseAnswerWasLostLands() async throws {
        let s = try await Setup()
        defer { s.close() }
        _ = try await s.seed(allowPortPolicy(1))
        let saved = try await s.losing(.answers, until: { $0?.value == allowPortPolicy(2) }) {
            try s.store.write(allowPortPolicy(2), for: 3, expecting: .any)
        }
        let now = try #require(try await s.direct.get(s.key).kv)
        #expect(now.value == allowPortPolicy(2))
        #expect(saved.revision == now.modRevision)
    }

    @Test func aConditionalDeleteWhoseAnswerWasLostRemovesTheDocument() async throws {
        let s = try await Setup()
        defer { s.close() }
        let expected = try await s.seed(allowPortPolicy(1))
        let removed = try await s.losing(.answers, until: { $0 == nil }) { try s.store.remove(3, expecting: expected) }
        #expect(removed)
        #expect(try await s.direct.get(s.key).kv == nil)
    }

    @Test func aWriteWhoseAnswersAreLostUntilTheDeadlineIsUnavailableNotAConflict() async throws {
        let s = try await Setup(timeout: .seconds(1))
        defer { s.close() }
        let expected = try await s.seed(allowPortPolicy(1))
        s.proxy.dropping(.answers)
        let store = s.store
        await #expect {
            try await onThread { try store.write(allowPortPolicy(2), for: 3, expecting: expected) }
        } throws: { error in
            (error as? StoreError)?.kind == .unavailable
        }
        s.proxy.cut()
        // etcd applied it: the replica could not know (the watch brings it).
        #expect(try await s.direct.get(s.key).kv?.value == allowPortPolicy(2))
    }
}

/// Polls the async `condition` every 20 ms until it holds or `timeout` passes.
func eventuallyAsync(timeout: Duration = .seconds(10), _ condition: () async -> Bool) async -> Bool {
    let clock = ContinuousClock()
    let deadline = clock.now + timeout
    while clock.now < deadline {
        if await condition() { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return await condition()
}
