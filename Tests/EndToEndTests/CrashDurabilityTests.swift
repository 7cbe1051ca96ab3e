import Foundation
import HTTPTestClient
import PolicyLanguage
import Testing

/// What the storm's clients know: per network, the last acknowledged policy (body and
/// ETag) and the one sent but not answered yet, if any.
private final class Ledger: @unchecked Sendable {
    struct Entry {
        var acknowledged: (etag: String, body: [UInt8])?
        var pending: [UInt8]?
    }

    private let lock = NSLock()
    private var entries: [Int: Entry] = [:]
    private(set) var acknowledgedCount = 0

    func sending(_ body: [UInt8], to network: Int) { lock.withLock { entries[network, default: Entry()].pending = body } }

    func acknowledged(_ body: [UInt8], etag: String, for network: Int) {
        lock.withLock {
            entries[network, default: Entry()] = Entry(acknowledged: (etag, body), pending: nil)
            acknowledgedCount += 1
        }
    }

    /// After a restart: whatever was stored is now what a client would see as acknowledged.
    func settle(_ network: Int, etag: String?, body: [UInt8]?) {
        lock.withLock {
            if let etag, let body {
                entries[network] = Entry(acknowledged: (etag, body), pending: nil)
            } else {
                entries[network] = nil
            }
        }
    }

    var snapshot: [Int: Entry] { lock.withLock { entries } }
}

extension HeavyEndToEnd {
    /// SIGKILL in the middle of a write storm loses no acknowledged policy.
    @Suite(.serialized) struct CrashDurabilityTests {
        static let networks = 1...96
        static let clients = 4

        @Test func everyAcknowledgedPolicySurvivesSIGKILLMidStorm() throws {
            let dir = temporaryPath("policyd-crash")
            defer { try? FileManager.default.removeItem(atPath: dir) }
            let ledger = Ledger()
            let arguments = ["serve", "--port", "0", "--data-dir", dir]
            for round in 0..<4 {
                let server = try PolicydProcess(arguments)
                try server.waitReady()
                try verify(server.port, dir: dir, ledger: ledger, round: round)
                let before = ledger.acknowledgedCount
                let workers = Workers()
                for client in 0..<Self.clients {
                    let port = server.port
                    workers.spawn { Self.storm(port: port, client: client, round: round, ledger: ledger) }
                }
                // Let the storm run a moment, then kill the server without warning.
                Thread.sleep(forTimeInterval: Double.random(in: 0.4...0.9))
                server.signal(SIGKILL)
                #expect(server.waitExit(timeout: 10) != nil)
                #expect(server.process.terminationReason == .uncaughtSignal)
                #expect(workers.wait(timeout: 15), "a client hung after the kill")
                #expect(ledger.acknowledgedCount > before, "round \(round): no write was acknowledged before the kill")
            }
            let last = try PolicydProcess(arguments)
            try last.waitReady()
            try verify(last.port, dir: dir, ledger: ledger, round: 4)
            last.signal(SIGTERM)
            #expect(last.waitExit() == 0)
        }

        /// One client: distinct policies to its own networks (so "last acknowledged" is well defined),
        /// as fast as it can, on one keep-alive connection, until the server goes away (bounded: 20 s).
        private static func storm(port: Int, client: Int, round: Int, ledger: Ledger) {
            guard let connection = try? TestConnection(port: port, timeout: 5) else { return }
            let mine = networks.filter { $0 % clients == client }
            let deadline = Date().addingTimeInterval(20)
            var sequence = 0
            while Date() < deadline {
                let network = mine[sequence % mine.count]
                let body = Array(constantPolicy("allow", name: "r\(round)-c\(client)-s\(sequence)").utf8)
                sequence += 1
                ledger.sending(body, to: network)
                guard
                    let r = try? connection.exchange(
                        "PUT", "/v1/networks/\(network)/policy", headers: ["Content-Type: application/json"], body: body),
                    r.status == 200 || r.status == 201, let etag = r.header("ETag")
                else { return }
                ledger.acknowledged(body, etag: etag, for: network)
            }
        }

        /// Every acknowledged policy is stored with its ETag (or, if a later write was in flight at
        /// the kill, that later one); the runner agrees; every stored file is a valid policy.
        private func verify(_ port: Int, dir: String, ledger: Ledger, round: Int) throws {
            let connection = try TestConnection(port: port)
            #expect(try connection.exchange("GET", "/readyz").status == 200)
            for (network, entry) in ledger.snapshot {
                let stored = try connection.exchange("GET", "/v1/networks/\(network)/policy")
                let runner = try connection.exchange("GET", "/v1/networks/\(network)/runner")
                if entry.acknowledged != nil {
                    #expect(stored.status == 200, "round \(round): network \(network) lost its policy")
                }
                guard stored.status == 200 else {
                    #expect(entry.acknowledged == nil)
                    #expect(runner.status == 404)
                    continue
                }
                let etag = stored.header("ETag")
                let isAcknowledged = entry.acknowledged.map { $0.etag == etag && $0.body == stored.body } ?? false
                let isPending = entry.pending == stored.body
                #expect(isAcknowledged || isPending, "round \(round): network \(network) holds neither acknowledged nor in-flight policy")
                #expect(runner["etag"]?.stringValue == etag, "round \(round): network \(network) runner differs from store")
                ledger.settle(network, etag: etag, body: stored.body)
            }
            let policies = dir + "/policies"
            for name in try FileManager.default.contentsOfDirectory(atPath: policies) {
                #expect(name.hasSuffix(".json") && !name.hasPrefix("."), "round \(round): stray file \(name)")
                let bytes = try #require(FileManager.default.contents(atPath: policies + "/" + name))
                #expect(throws: Never.self, "round \(round): \(name) is not a valid policy") {
                    _ = try CompiledPolicy(parsing: Array(bytes))
                }
            }
        }
    }
}
