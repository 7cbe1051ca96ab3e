import Foundation
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
            try service.putPolicy(allowPortPolicy(1), for: 8, preconditions: WritePreconditions(ifMatch: .tags([EntityTag("\"x\"")])))
        }
        let etag = try service.putPolicy(allowPortPolicy(1), for: 8, preconditions: WritePreconditions(ifNoneMatch: .any)).runner.etag
        #expect(throws: ServiceError.self) {
            try service.putPolicy(allowPortPolicy(2), for: 8, preconditions: WritePreconditions(ifNoneMatch: .any))
        }
        #expect(throws: ServiceError.self) {
            try service.deletePolicy(for: 8, preconditions: WritePreconditions(ifMatch: .tags([EntityTag("\"stale\"")])))
        }
        let second = try service.putPolicy(allowPortPolicy(2), for: 8, preconditions: WritePreconditions(ifMatch: .tags([EntityTag(etag)])))
        #expect(second.runner.generation == 2)
        try service.deletePolicy(for: 8, preconditions: WritePreconditions(ifMatch: .tags([EntityTag(second.runner.etag)])))
        #expect(service.runner(for: 8) == nil)
        #expect(second.runner.state == .stopped)
        #expect(throws: ServiceError.notFound("no policy stored for network 8")) { try service.deletePolicy(for: 8) }
    }

    /// RFC 9110 section 13.1: If-Match compares strongly (a weak tag never matches), If-None-Match
    /// weakly; `*` stands for "a document is stored"; If-Match is evaluated first.
    @Test func preconditionsFollowRFC9110() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let service = try makeService(dir)
        func put(_ p: WritePreconditions) -> Bool { (try? service.putPolicy(allowPortPolicy(1), for: 3, preconditions: p)) != nil }
        #expect(!put(WritePreconditions(ifMatch: .any)))
        #expect(put(WritePreconditions(ifNoneMatch: .tags([EntityTag(#""x""#)]))))
        let etag = try #require(service.runner(for: 3)?.etag)
        let weak = EntityTag(etag, weak: true)
        #expect(put(WritePreconditions(ifMatch: .any)))
        #expect(!put(WritePreconditions(ifMatch: .tags([weak]))))
        #expect(put(WritePreconditions(ifMatch: .tags([EntityTag(#""x""#), EntityTag(etag)]))))
        #expect(!put(WritePreconditions(ifNoneMatch: .tags([weak]))))
        #expect(!put(WritePreconditions(ifNoneMatch: .tags([EntityTag(#""x""#), EntityTag(etag)]))))
        #expect(put(WritePreconditions(ifNoneMatch: .tags([EntityTag(#""x""#)]))))
        #expect(throws: ServiceError.preconditionFailed("stored policy has ETag \(etag), not \"x\" (If-Match)")) {
            try service.deletePolicy(
                for: 3, preconditions: WritePreconditions(ifMatch: .tags([EntityTag(#""x""#)]), ifNoneMatch: .any))
        }
        #expect(throws: ServiceError.preconditionFailed("a policy is already stored (If-None-Match: *)")) {
            try service.deletePolicy(for: 3, preconditions: WritePreconditions(ifMatch: .any, ifNoneMatch: .any))
        }
        try service.deletePolicy(for: 3, preconditions: WritePreconditions(ifMatch: .tags([EntityTag(etag)])))
        #expect(service.runner(for: 3) == nil)
    }
}
