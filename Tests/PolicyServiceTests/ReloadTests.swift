import Foundation
import PolicyLanguage
import Testing

@testable import PolicyService

@Suite struct ReloadTests {
    @Test func reloadAlwaysMakesANewGeneration() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let service = try makeService(dir)
        let first = try service.putPolicy(allowPortPolicy(1), for: 4).runner
        let second = try service.reload(4)
        #expect(second.generation == 2)
        #expect(second.etag == first.etag)
        #expect(first.state == .stopped)
        #expect(throws: ServiceError.notFound("no policy stored for network 5")) { try service.reload(5) }
    }

    @Test func reloadOfAnInvalidStoredDocumentKeepsTheOldRunner() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let service = try makeService(dir)
        let first = try service.putPolicy(allowPortPolicy(1), for: 4).runner
        try Data("{\"version\": 2}".utf8).write(to: URL(fileURLWithPath: dir.path + "/policies/4.json"))
        #expect(throws: ServiceError.self) { try service.reload(4) }
        #expect(service.runner(for: 4) === first)
        #expect(first.state == .running)
    }

    @Test func reloadAllDiffsStoreAgainstRegistry() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let service = try makeService(dir)
        for id in 1...4 { _ = try service.putPolicy(allowPortPolicy(id), for: id) }
        // 1 unchanged, 2 changed on disk, 3 removed from disk, 4 broken on disk, 5 new on disk.
        try FilePolicyStore(directory: dir.path).saveDocument(allowPortPolicy(222), for: 2)
        try FileManager.default.removeItem(atPath: dir.path + "/policies/3.json")
        try Data("[]".utf8).write(to: URL(fileURLWithPath: dir.path + "/policies/4.json"))
        try FilePolicyStore(directory: dir.path).saveDocument(allowPortPolicy(5), for: 5)

        let results = service.reloadAll(force: false)
        #expect(results.map(\.networkID) == [1, 2, 3, 4, 5])
        #expect(results.map(\.action) == [.unchanged, .swapped, .stopped, .failed, .started])
        #expect(results[0].generation == 1)
        #expect(results[1].generation == 2)
        #expect(results[2].generation == nil)
        #expect(results[3].generation == 1)
        #expect(results[3].error != nil)
        #expect(service.runner(for: 3) == nil)
        #expect(service.runner(for: 4)?.generation == 1)

        let forced = service.reloadAll(force: true)
        #expect(forced.map(\.action) == [.swapped, .swapped, .failed, .swapped])
        #expect(service.runner(for: 1)?.generation == 2)
    }
}
