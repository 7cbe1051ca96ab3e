import Foundation
import Testing

@testable import PolicyService

/// Peer tables are written when they changed, and only then.
@Suite struct PeerPersistenceTests {
    private func peerFiles(_ dir: TempDir) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: dir.path + "/peers").filter { !$0.hasPrefix(".") }.sorted()
    }

    @Test func shutdownWritesOnlyTablesThatChanged() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let service = try makeService(dir)
        for id in 1...5 { _ = try service.putPolicy(allowPortPolicy(id), for: id) }
        _ = try service.updateMembers([MemberInput(peerID: 10)], for: 3)
        service.shutdown()
        #expect(try peerFiles(dir) == ["3.json"])
    }

    @Test func aRestoredTableIsKeptAndNotRewrittenWhenUnchanged() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        do {
            let service = try makeService(dir)
            _ = try service.putPolicy(allowPortPolicy(1), for: 1)
            _ = try service.updateMembers([MemberInput(peerID: 10, tags: ["a"])], for: 1)
            service.shutdown()
        }
        let path = dir.path + "/peers/1.json"
        let before = try FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date
        let service = try makeService(dir)
        service.loadStored()
        service.shutdown()
        #expect(try peerFiles(dir) == ["1.json"])
        #expect(try FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date == before)
        #expect(try #require(service.runner(for: 1)).peers.snapshot().map(\.peerID) == [10])
    }
}
