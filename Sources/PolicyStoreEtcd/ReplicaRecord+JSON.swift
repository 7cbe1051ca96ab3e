import PolicyLanguage
import PolicyService

extension ReplicaRecord {
    /// The registration's value: `{"id","address","version","applied_revision","ready","degraded","networks":{"<id>":"<etag>"}}`.
    var json: [UInt8] {
        var w = JSONWriter(capacity: 160 + networks.count * 48)
        w.beginObject()
        w.key("id"); w.string(id)
        w.key("address"); w.string(address)
        w.key("version"); w.string(version)
        w.key("applied_revision"); w.int(Int(appliedRevision))
        w.key("ready"); w.bool(ready)
        w.key("degraded"); w.bool(degraded)
        w.key("networks")
        w.beginObject()
        for (network, etag) in networks.sorted(by: { $0.key < $1.key }) {
            w.key(String(network)); w.string(etag)
        }
        w.endObject()
        w.endObject()
        return w.bytes
    }

    /// A registration read back; nil when it is not one (another writer's key).
    init?(json bytes: [UInt8]) {
        guard let value = try? JSONParser().parse(bytes), let id = value["id"]?.stringValue,
            let address = value["address"]?.stringValue, let version = value["version"]?.stringValue,
            let applied = value["applied_revision"]?.intValue, case .bool(let ready)? = value["ready"],
            case .bool(let degraded)? = value["degraded"], case .object(let members)? = value["networks"]
        else { return nil }
        var networks: [Int: String] = [:]
        for (key, etag) in members {
            guard let network = Int(key), let etag = etag.stringValue else { return nil }
            networks[network] = etag
        }
        self.init(
            id: id, address: address, version: version, appliedRevision: Int64(applied), ready: ready, degraded: degraded,
            networks: networks)
    }
}
