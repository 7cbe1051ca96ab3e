import MicroHTTP

/// Query parameters: a `/v1` operation takes only those it declares, each at most once, each
/// value one the operation knows; anything else is 400 `bad_request` naming the parameter.
enum QueryParameters {
    /// 400 for a parameter not in `allowed` or given more than once.
    static func check(_ request: HTTPRequest, allowed: [String]) throws(APIError) {
        let items = request.queryItems
        guard !items.isEmpty else { return }
        var seen: [String] = []
        for item in items {
            let name = item.name.prefix(64)
            guard allowed.contains(item.name) else {
                let takes = allowed.isEmpty ? "none" : allowed.joined(separator: ", ")
                throw .badRequest("unknown query parameter '\(name)' (this operation takes \(takes))")
            }
            guard !seen.contains(item.name) else { throw .badRequest("query parameter \(name) is given more than once") }
            seen.append(item.name)
        }
    }

    /// The boolean parameter `name`: `defaultValue` when absent, else exactly `true` or `false`.
    static func bool(_ request: HTTPRequest, _ name: String, default defaultValue: Bool) throws(APIError) -> Bool {
        guard let item = request.queryItems.first(where: { $0.name == name }) else { return defaultValue }
        switch item.value {
        case "true": return true
        case "false": return false
        case nil: throw .badRequest("query parameter \(name) must be true or false, not a bare name")
        case let other?: throw .badRequest("query parameter \(name) must be true or false, not '\(other.prefix(32))'")
        }
    }
}
