/// The header of every etcd answer: which cluster and member answered, at which revision.
public struct EtcdHeader: Sendable, Equatable {
    public var clusterID: UInt64
    public var memberID: UInt64
    /// The store's revision when the request was served.
    public var revision: Int64
    public var raftTerm: UInt64

    public init(clusterID: UInt64 = 0, memberID: UInt64 = 0, revision: Int64 = 0, raftTerm: UInt64 = 0) {
        self.clusterID = clusterID
        self.memberID = memberID
        self.revision = revision
        self.raftTerm = raftTerm
    }
}

/// One key and its value with etcd's revisions.
public struct EtcdKeyValue: Sendable, Equatable {
    public var key: [UInt8]
    public var value: [UInt8]
    /// Revision of the last creation of the key.
    public var createRevision: Int64
    /// Revision of the last change of the key.
    public var modRevision: Int64
    /// Changes since creation (1 after the first put).
    public var version: Int64
    public var lease: Int64

    public init(key: [UInt8], value: [UInt8], createRevision: Int64 = 0, modRevision: Int64 = 0, version: Int64 = 0, lease: Int64 = 0) {
        self.key = key
        self.value = value
        self.createRevision = createRevision
        self.modRevision = modRevision
        self.version = version
        self.lease = lease
    }
}

/// The keys a range read found.
public struct EtcdRange: Sendable, Equatable {
    public var header: EtcdHeader
    public var kvs: [EtcdKeyValue]
    /// More keys are left past `limit`.
    public var more: Bool
}

/// One change a watch reported.
public struct EtcdEvent: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case put, delete
    }

    public var kind: Kind
    /// For a delete: the key, and `modRevision` the revision of the deletion.
    public var kv: EtcdKeyValue
}

/// What one watch response carried: events in revision order, possibly none. Without
/// events it is either the watch's confirmation (`created`: it is in place; says nothing
/// about which events were delivered) or a progress notification (everything up to
/// `header.revision` was delivered).
public struct EtcdWatchBatch: Sendable, Equatable {
    public var header: EtcdHeader
    public var events: [EtcdEvent]
    public var created: Bool = false
}

/// A condition of a transaction, on one key.
public struct EtcdCompare: Sendable, Equatable {
    public enum Target: Sendable, Equatable {
        /// The key's last change; 0 when the key does not exist.
        case modRevision(Int64)
        /// Changes since creation; 0 when the key does not exist.
        case version(Int64)
        /// The value, byte for byte.
        case value([UInt8])
    }

    public enum Result: Sendable, Equatable {
        case equal, notEqual, greater, less
    }

    public var key: [UInt8]
    public var target: Target
    public var result: Result

    public init(key: [UInt8], _ target: Target, _ result: Result = .equal) {
        self.key = key
        self.target = target
        self.result = result
    }
}

/// An operation inside a transaction.
public enum EtcdOperation: Sendable, Equatable {
    case get(key: [UInt8])
    case put(key: [UInt8], value: [UInt8], lease: Int64 = 0)
    case delete(key: [UInt8])
}

/// What a transaction's operation returned.
public enum EtcdOperationResult: Sendable, Equatable {
    case get([EtcdKeyValue])
    case put
    case delete(deleted: Int64)
}

/// The outcome of a transaction: whether every compare held (then `success` ran, else `failure`).
public struct EtcdTxnResult: Sendable, Equatable {
    public var header: EtcdHeader
    public var succeeded: Bool
    public var results: [EtcdOperationResult]
}

/// A granted lease.
public struct EtcdLease: Sendable, Equatable {
    public var id: Int64
    /// Seconds it lives without a keep-alive.
    public var ttl: Int64
}

/// The first key past every key starting with `prefix` (etcd's prefix range end).
public func etcdPrefixEnd(_ prefix: [UInt8]) -> [UInt8] {
    var end = prefix
    while let last = end.last {
        if last < 0xff {
            end[end.count - 1] = last + 1
            return end
        }
        end.removeLast()
    }
    return [0]  // every key
}
