import ArgumentParser
import Foundation
import MicroHTTP
import PolicyLanguage

extension ServeSettings {
    /// Connection, body, JSON and policy limits: each a flag (and variable) with a checked range.
    mutating func resolveLimits(_ c: ServeCommand) throws {
        func limit(_ flag: Int?, _ name: String, default fallback: Int, _ range: ClosedRange<Int>) throws -> Int {
            let variable = "POLICYD_" + name.uppercased().replacingOccurrences(of: "-", with: "_")
            let value = try EnvironmentDefault.value(flag, variable, default: fallback)
            guard range.contains(value) else {
                throw ValidationError("--\(name) must be \(range.lowerBound)...\(range.upperBound), got \(value)")
            }
            return value
        }
        http.maxBodyBytes = try limit(c.maxBodyBytes, "max-body-bytes", default: 1_048_576, 1024...1_073_741_824)
        http.connectionLimit = try limit(c.maxConnections, "max-connections", default: 1024, http.threads...65536)
        // Off by default: behind a load balancer every connection comes from the proxy's address.
        http.perIPConnectionLimit = try limit(c.maxConnectionsPerIp, "max-connections-per-ip", default: 0, 0...65536)
        // Longer than the idle keep-alive of common proxies' pools (nginx upstream and AWS ALB: 60 s), so
        // that the proxy, not policyd, closes an idle pooled connection and never sends on a closing one.
        http.connectionTimeoutSeconds = try limit(c.connectionTimeout, "connection-timeout", default: 75, 1...86400)
        http.headerTimeoutSeconds = try limit(c.headerTimeout, "header-timeout", default: 10, 0...3600)
        limits.maxJSONDepth = try limit(c.maxJsonDepth, "max-json-depth", default: 64, 2...512)
        limits.maxRules = try limit(c.maxRules, "max-rules", default: 256, 1...100_000)
        limits.expression.maxLength = try limit(
            c.maxExpressionLength, "max-expression-length", default: 4096, 16...65536)
        // 128 is the parser's own ceiling (it keeps every recursive pass far from the stack's end).
        limits.expression.maxNesting = try limit(
            c.maxExpressionNesting, "max-expression-nesting", default: 64, 4...128)
    }
}
