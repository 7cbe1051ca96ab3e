/// The documents the benchmarks store and evaluate.
enum BenchPolicies {
    /// A realistic 10-rule policy (the HTTP suite's bench/policies/realistic-10.json);
    /// `variant` changes the default verdict so that consecutive swaps change the document.
    static func realistic(variant: Int) -> [UInt8] {
        let verdict = variant % 2 == 0 ? "deny" : "allow"
        return Array(
            """
            {"version": 1, "default_verdict": "\(verdict)", "fail_closed": true, "config": {"max_peers": 1000},
             "rules": [
              {"name": "block-banned", "on": "connect", "match": "has_tag(peer_tags, 'banned')", "actions": [{"type": "deny"}]},
              {"name": "ops-ssh", "on": "connect", "match": "port == 22 && has_tag(peer_tags, 'ops')", "actions": [{"type": "allow"}]},
              {"name": "no-ssh", "on": "connect", "match": "port == 22", "actions": [{"type": "deny"}]},
              {"name": "web", "on": "connect", "match": "port in [80, 443, 8080, 8443]", "actions": [{"type": "allow"}]},
              {"name": "db-from-app", "on": "connect", "match": "port in [5432, 3306] && has_tag(peer_tags, 'app')", "actions": [{"type": "allow"}]},
              {"name": "metrics", "on": "connect", "match": "port == 9100 && has_tag(peer_tags, 'monitoring')", "actions": [{"type": "allow"}]},
              {"name": "high-ports", "on": "connect", "match": "port >= 49152", "actions": [{"type": "deny"}]},
              {"name": "dial-dns", "on": "dial", "match": "port == 53", "actions": [{"type": "allow"}]},
              {"name": "dial-edge", "on": "dial", "match": "has_tag(local_tags, 'edge') && port not in [53, 443]", "actions": [{"type": "deny"}]},
              {"name": "jumbo-in", "on": "datagram", "match": "direction == 'in' && size > 1400 && not has_tag(peer_tags, 'trusted')", "actions": [{"type": "deny"}]}
             ]}
            """.utf8)
    }

    /// `count` connect rules, each a port and a tag test, alternating allow and deny; a
    /// request on port 443 tagged "web" matches none of them, so every rule is evaluated.
    static func connectRules(_ count: Int) -> [UInt8] {
        var rules: [String] = []
        for i in 0..<count {
            let verdict = i % 2 == 0 ? "allow" : "deny"
            rules.append(
                """
                {"name": "r\(i)", "on": "connect", "match": "port == \(10_000 + i) && has_tag(peer_tags, 'team-\(i)')", \
                "actions": [{"type": "\(verdict)"}]}
                """)
        }
        return Array(#"{"version": 1, "default_verdict": "deny", "rules": [\#(rules.joined(separator: ",\n"))]}"#.utf8)
    }
}
