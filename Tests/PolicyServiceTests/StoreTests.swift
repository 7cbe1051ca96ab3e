import Foundation
import Locking
import PolicyLanguage
import Testing

@testable import PolicyService

@Suite struct StoreTests {
    @Test func rejectedDocumentLeavesOldRunnerAndStoredFileUntouched() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let service = try makeService(dir)
        let good = allowPortPolicy(22)
        let first = try service.putPolicy(good, for: 5).runner
        let fileBefore = try Data(contentsOf: URL(fileURLWithPath: dir.path + "/policies/5.json"))

        let bad = bytes(
            #"{"version": 1, "rules": [{"name": "x", "on": "connect", "match": "prot == 22", "actions": [{"type": "allow"}]}]}"#)
        #expect(throws: ServiceError.self) { try service.putPolicy(bad, for: 5) }
        #expect(throws: ServiceError.self) { try service.putPolicy(bytes("{not json"), for: 5) }

        #expect(service.runner(for: 5) === first)
        #expect(first.state == .running)
        let fileAfter = try Data(contentsOf: URL(fileURLWithPath: dir.path + "/policies/5.json"))
        #expect(fileAfter == fileBefore)
    }

    @Test func invalidPolicyReportsEveryProblemWithRuleAndField() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let service = try makeService(dir)
        let bad = bytes(
            #"{"version": 1, "rules": [{"name": "ops", "on": "connect", "match": "prot == 22", "actions": [{"type": "allow"}]}]}"#)
        do {
            _ = try service.putPolicy(bad, for: 5)
            Issue.record("accepted an invalid policy")
        } catch {
            guard case .invalidPolicy(let problems) = error else {
                Issue.record("wrong error \(error)")
                return
            }
            #expect(problems.first?.rule == "ops")
            #expect(problems.first?.field == "match")
            #expect(problems.first?.line == 1)
        }
        #expect(service.runner(for: 5) == nil)
        #expect(try service.store.stored(5) == nil)
    }

    @Test func sameDocumentWithOtherWhiteSpaceHasTheSameETag() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let service = try makeService(dir)
        let a = try service.putPolicy(
            bytes(#"{"version":1,"rules":[{"name":"a","on":"dial","match":"true","actions":[{"type":"deny"}]}]}"#), for: 1)
        let b = try service.putPolicy(
            bytes(#"{ "rules" : [ { "actions":[{"type":"deny"}], "match":"true", "on":"dial", "name":"a" } ], "version" : 1 }"#), for: 2)
        #expect(a.runner.etag == b.runner.etag)
        #expect(a.runner.etag.hasPrefix("\"") && a.runner.etag.hasSuffix("\""))
    }

    @Test func restartRestoresEveryNetworkWithSameETagsAndPeers() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        var etags: [Int: String] = [:]
        do {
            let service = try makeService(dir)
            for id in [1, 2, 300, 65535] {
                etags[id] = try service.putPolicy(allowPortPolicy(id), for: id).runner.etag
            }
            _ = try service.updateMembers([MemberInput(peerID: 10, tags: ["a"]), MemberInput(peerID: 11)], for: 2)
            service.shutdown()
        }
        let service = try makeService(dir)
        let results = service.loadStored()
        #expect(results.map(\.action) == [.started, .started, .started, .started])
        #expect(service.isLoaded)
        for (id, etag) in etags {
            let runner = try #require(service.runner(for: id))
            #expect(runner.etag == etag)
            #expect(runner.generation == 1)
            #expect(runner.state == .running)
        }
        let peers = try #require(service.runner(for: 2)).peers.snapshot()
        #expect(peers.map(\.peerID) == [10, 11])
        #expect(peers.first?.memberTags == ["a"])
    }

    @Test func truncatedOrGarbageFilesAreSkippedWithAnErrorAndKept() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        do {
            let service = try makeService(dir)
            _ = try service.putPolicy(allowPortPolicy(1), for: 1)
        }
        let truncated = String(decoding: allowPortPolicy(2), as: UTF8.self).prefix(30)
        try Data(truncated.utf8).write(to: URL(fileURLWithPath: dir.path + "/policies/2.json"))
        try Data([0xFF, 0x00, 0x13]).write(to: URL(fileURLWithPath: dir.path + "/policies/3.json"))
        try Data("ignored".utf8).write(to: URL(fileURLWithPath: dir.path + "/policies/notes.txt"))

        let service = try makeService(dir)
        let results = service.loadStored()
        #expect(results.map(\.networkID) == [1, 2, 3])
        #expect(results.map(\.action) == [.started, .failed, .failed])
        #expect(results[1].error?.isEmpty == false)
        #expect(results[2].error?.isEmpty == false)
        #expect(service.runner(for: 1) != nil)
        #expect(service.runner(for: 2) == nil)
        #expect(service.runner(for: 3) == nil)
        #expect(FileManager.default.fileExists(atPath: dir.path + "/policies/2.json"))
        #expect(FileManager.default.fileExists(atPath: dir.path + "/policies/3.json"))
    }

    @Test func writesLeaveNoTemporaryFilesAndStaleOnesAreCleared() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let store = try FilePolicyStore(directory: dir.path)
        try store.saveDocument(allowPortPolicy(1), for: 4)
        try store.saveDocument(allowPortPolicy(2), for: 4)
        var names = try FileManager.default.contentsOfDirectory(atPath: dir.path + "/policies")
        #expect(names == ["4.json"])
        #expect(try store.document(4) == allowPortPolicy(2))

        try Data("half".utf8).write(to: URL(fileURLWithPath: dir.path + "/policies/.4.json.99.1.tmp"))
        _ = try FilePolicyStore(directory: dir.path)
        names = try FileManager.default.contentsOfDirectory(atPath: dir.path + "/policies")
        #expect(names == ["4.json"])
    }

    @Test func preconditionsGuardWrites() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let service = try makeService(dir)
        #expect(throws: ServiceError.self) {
            try service.putPolicy(allowPortPolicy(1), for: 8, expecting: storedETag(is: "\"x\""))
        }
        let etag = try service.putPolicy(allowPortPolicy(1), for: 8, expecting: nothingStored).runner.etag
        #expect(throws: ServiceError.self) {
            try service.putPolicy(allowPortPolicy(2), for: 8, expecting: nothingStored)
        }
        #expect(throws: ServiceError.self) {
            try service.deletePolicy(for: 8, expecting: storedETag(is: "\"stale\""))
        }
        let second = try service.putPolicy(allowPortPolicy(2), for: 8, expecting: storedETag(is: etag))
        #expect(second.runner.generation == 2)
        try service.deletePolicy(for: 8, expecting: storedETag(is: second.status.etag))
        #expect(service.runner(for: 8) == nil)
        #expect(second.runner.state == .stopped)
        #expect(throws: ServiceError.notFound("no policy stored for network 8")) { try service.deletePolicy(for: 8) }
    }

    /// The caller's check sees the ETag of the document stored at the write (nil: none) and its
    /// refusal is the failed precondition, word for word; nothing is written then.
    @Test func theCheckSeesTheStoredETagAndItsRefusalFailsTheWrite() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let service = try makeService(dir)
        let seen = Locked<[String?]>([])
        let record = ExpectedDocument.checked { etag in
            seen.withLock { $0.append(etag) }
            return nil
        }
        let first = try service.putPolicy(allowPortPolicy(1), for: 3, expecting: record)
        _ = try service.putPolicy(allowPortPolicy(2), for: 3, expecting: record)
        #expect(seen.withLock { $0 } == [nil, first.status.etag])
        let refuse = ExpectedDocument.checked { _ in "no, thanks" }
        #expect(throws: ServiceError.preconditionFailed("no, thanks")) {
            try service.putPolicy(allowPortPolicy(3), for: 3, expecting: refuse)
        }
        #expect(throws: ServiceError.preconditionFailed("no, thanks")) { try service.deletePolicy(for: 3, expecting: refuse) }
        #expect(service.status(network: 3)?.generation == 2)
        #expect(try service.document(for: 3).bytes == allowPortPolicy(2))
    }
}
