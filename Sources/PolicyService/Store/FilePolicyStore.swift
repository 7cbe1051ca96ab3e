/// The data directory: one policy document per network (`policies/<id>.json`, kept
/// exactly as received) and, best effort, one peer table per network (`peers/<id>.json`).
///
/// Every write is atomic and durable (see `DurableFile`): after a crash each file holds
/// either its old or its new content, and a write that returned is never lost. The
/// default `PolicyStore` of a single replica; documents carry no revision.
public struct FilePolicyStore: PolicyStore {
    public let directory: String
    var policies: String { directory + "/policies" }
    var peers: String { directory + "/peers" }

    /// Opens (creating when missing) the data directory and removes temporary files a
    /// crash left behind (they were never acknowledged).
    public init(directory: String) throws(StoreError) {
        self.directory = directory
        try DurableFile.makeDirectory(policies)
        try DurableFile.makeDirectory(peers)
        for dir in [policies, peers] {
            for name in try DurableFile.list(dir) where name.hasPrefix(".") && name.hasSuffix(".tmp") {
                _ = try? DurableFile.remove(dir + "/" + name, directory: dir)
            }
        }
    }

    /// Network ids that have a stored document, ascending. Other files are ignored.
    public func storedNetworks() throws(StoreError) -> [Int] {
        try DurableFile.list(policies).compactMap { name -> Int? in
            guard name.hasSuffix(".json"), let id = Int(name.dropLast(5)), String(id) + ".json" == name,
                NetworkID.isValid(id)
            else { return nil }
            return id
        }.sorted()
    }

    /// The stored document of a network, or nil.
    public func document(_ networkID: Int) throws(StoreError) -> [UInt8]? {
        try DurableFile.read(policyPath(networkID))
    }

    /// Stores a network's document durably, replacing any previous one.
    func saveDocument(_ bytes: [UInt8], for networkID: Int) throws(StoreError) {
        try DurableFile.write(bytes, to: policyPath(networkID), directory: policies)
    }

    /// Removes a network's document (and its peer table); false when none was stored.
    @discardableResult
    func removeDocument(_ networkID: Int) throws(StoreError) -> Bool {
        _ = try? DurableFile.remove(peersPath(networkID), directory: peers)
        return try DurableFile.remove(policyPath(networkID), directory: policies)
    }

    /// The stored peer table of a network, or nil.
    public func peerTable(_ networkID: Int) throws(StoreError) -> [UInt8]? {
        try DurableFile.read(peersPath(networkID))
    }

    /// Stores a network's peer table atomically.
    public func savePeerTable(_ bytes: [UInt8], for networkID: Int) throws(StoreError) {
        try DurableFile.write(bytes, to: peersPath(networkID), directory: peers)
    }

    public func stored(_ networkID: Int) throws(StoreError) -> StoredDocument? {
        try document(networkID).map { StoredDocument(bytes: $0) }
    }

    /// The same as `stored`: the files are the truth (the service's writer lock keeps the
    /// check and the write of one network together).
    public func storedForWrite(_ networkID: Int) throws(StoreError) -> StoredDocument? {
        try stored(networkID)
    }

    /// Unconditional: the service's writer lock keeps the precondition check and this write together.
    public func write(_ bytes: [UInt8], for networkID: Int, expecting expected: WriteExpectation) throws(StoreError)
        -> StoredDocument
    {
        try saveDocument(bytes, for: networkID)
        return StoredDocument(bytes: bytes)
    }

    public func remove(_ networkID: Int, expecting expected: WriteExpectation) throws(StoreError) -> Bool {
        guard try document(networkID) != nil else { return false }
        return try removeDocument(networkID)
    }

    func policyPath(_ networkID: Int) -> String { "\(policies)/\(networkID).json" }
    func peersPath(_ networkID: Int) -> String { "\(peers)/\(networkID).json" }
}

/// Network ids are 1...65535.
public enum NetworkID {
    public static let range = 1...65535

    public static func isValid(_ id: Int) -> Bool { range.contains(id) }
}
