import Foundation

extension EtcdHeader {
    init(_ h: Etcdserverpb_ResponseHeader) {
        self.init(clusterID: h.clusterID, memberID: h.memberID, revision: h.revision, raftTerm: h.raftTerm)
    }
}

extension EtcdKeyValue {
    init(_ kv: Mvccpb_KeyValue) {
        self.init(
            key: [UInt8](kv.key), value: [UInt8](kv.value), createRevision: kv.createRevision, modRevision: kv.modRevision,
            version: kv.version, lease: kv.lease)
    }
}

extension EtcdCompare {
    var message: Etcdserverpb_Compare {
        var c = Etcdserverpb_Compare()
        c.key = Data(key)
        switch target {
        case .modRevision(let r):
            c.target = .mod
            c.modRevision = r
        case .version(let v):
            c.target = .version
            c.version = v
        case .value(let v):
            c.target = .value
            c.value = Data(v)
        }
        c.result =
            switch result {
            case .equal: .equal
            case .notEqual: .notEqual
            case .greater: .greater
            case .less: .less
            }
        return c
    }
}

extension EtcdOperation {
    var message: Etcdserverpb_RequestOp {
        var op = Etcdserverpb_RequestOp()
        switch self {
        case .get(let key):
            var r = Etcdserverpb_RangeRequest()
            r.key = Data(key)
            op.requestRange = r
        case .put(let key, let value, let lease):
            var p = Etcdserverpb_PutRequest()
            p.key = Data(key)
            p.value = Data(value)
            p.lease = lease
            op.requestPut = p
        case .delete(let key):
            var d = Etcdserverpb_DeleteRangeRequest()
            d.key = Data(key)
            op.requestDeleteRange = d
        }
        return op
    }
}

extension EtcdOperationResult {
    init(_ r: Etcdserverpb_ResponseOp) {
        switch r.response {
        case .responseRange(let range): self = .get(range.kvs.map(EtcdKeyValue.init))
        case .responseDeleteRange(let d): self = .delete(deleted: d.deleted)
        case .responsePut, .none: self = .put
        }
    }
}
