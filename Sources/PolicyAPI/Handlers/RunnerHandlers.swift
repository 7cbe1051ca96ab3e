import MicroHTTP
import PolicyLanguage
import PolicyService

extension PolicyAPI {
    /// `GET /v1/networks`: every RunnerStatus by network id.
    func listNetworks() -> HTTPResponse {
        let statuses = service.statuses()
        var w = JSONWriter(capacity: 64 + statuses.count * 320)
        w.beginObject()
        w.key("networks")
        w.beginArray()
        for s in statuses { w.runnerStatus(s, fixed: statusParts.parts(of: s)) }
        w.endArray()
        w.endObject()
        return .json(200, w)
    }

    /// `POST /v1/networks/{id}/reload`: a new runner from the stored document.
    func reloadNetwork(_ p: PathParameters) throws -> HTTPResponse {
        let id = try Self.networkID(p)
        return runnerStatusResponse(200, try service.reload(id))
    }

    /// `POST /v1/reload[?force=true]`: make the registry agree with the store.
    func reloadAll(_ request: HTTPRequest) throws -> HTTPResponse {
        let force = try QueryParameters.bool(request, "force", default: false)
        // Forced: what a shared store holds now is the truth, even an empty one (the wiped-store guard's way out).
        if force { try service.resyncStore() }
        let results = service.reloadAll(force: force)
        var w = JSONWriter(capacity: 64 + results.count * 64)
        w.beginObject()
        w.key("results")
        w.beginArray()
        for r in results {
            w.beginObject()
            w.key("network_id"); w.int(r.networkID)
            w.key("action"); w.string(r.action.rawValue)
            if let g = r.generation { w.key("generation"); w.int(g) }
            if let e = r.error { w.key("error"); w.string(e) }
            w.endObject()
        }
        w.endArray()
        w.endObject()
        return .json(200, w)
    }

    /// `POST /v1/networks/{id}/decisions`: a gate decision by the active runner.
    func decide(_ request: HTTPRequest, _ p: PathParameters) throws -> HTTPResponse {
        let id = try Self.networkID(p)
        let input = try DecisionInput.parse(request, parser: jsonParser)
        // Counted by the service (policyd_decisions_total is exported from its totals at each scrape).
        let decision = try service.decide(network: id, input: input)
        var w = JSONWriter(reusing: request.responseBuffer(capacity: 192), capacity: 192)
        decision.write(to: &w)
        return .json(200, w)
    }

    /// `PUT /v1/networks/{id}/members`: the full member list.
    func putMembers(_ request: HTTPRequest, _ p: PathParameters) throws -> HTTPResponse {
        let id = try Self.networkID(p)
        let members = try MemberInput.list(try RequestBody.object(request, parser: jsonParser))
        let result = try service.updateMembers(members, for: id)
        var w = JSONWriter(capacity: 128)
        w.beginObject()
        w.key("joined"); w.ints(result.joined)
        w.key("left"); w.ints(result.left)
        w.key("denied"); w.ints(result.denied)
        w.key("peers"); w.int(result.peers)
        w.endObject()
        return .json(200, w)
    }

    /// `GET /v1/networks/{id}/peers`: the peer table, oldest first.
    func peers(_ p: PathParameters) throws -> HTTPResponse {
        let id = try Self.networkID(p)
        guard let peers = service.peers(network: id) else { throw APIError.notFound("no runner for network \(id)") }
        var w = JSONWriter(capacity: 32 + peers.count * 128)
        w.beginObject()
        w.key("peers")
        w.beginArray()
        for peer in peers {
            w.beginObject()
            w.key("peer_id"); w.int(peer.peerID)
            w.key("added_at"); w.string(Timestamp.rfc3339(peer.addedAt))
            w.key("last_seen"); w.string(Timestamp.rfc3339(peer.lastSeen))
            w.key("member_tags"); w.strings(peer.memberTags)
            w.key("policy_tags"); w.strings(peer.policyTags)
            w.endObject()
        }
        w.endArray()
        w.endObject()
        return .json(200, w)
    }

    /// `POST /v1/networks/{id}/cycle`: run a cycle now.
    func cycle(_ p: PathParameters) throws -> HTTPResponse {
        let id = try Self.networkID(p)
        let result = try service.runCycle(id)
        var w = JSONWriter(capacity: 160)
        w.beginObject()
        w.key("network_id"); w.int(result.networkID)
        w.key("cycle_num"); w.int(result.cycleNum)
        w.key("peers"); w.int(result.peers)
        w.key("evicted"); w.int(result.evicted)
        w.key("pruned"); w.int(result.pruned)
        w.key("tagged"); w.int(result.tagged)
        w.key("emitted"); w.directives(result.emitted.lazy.map { ($0.type, $0.rule) })
        w.endObject()
        return .json(200, w)
    }
}
