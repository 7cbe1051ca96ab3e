import ArgumentParser
import Foundation

/// Flags that also read `POLICYD_<FLAG>` from the environment: the flag wins, then the
/// variable, then the default. A variable that does not parse is a usage error.
enum EnvironmentDefault {
    static func value<T: ExpressibleByArgument>(_ flag: T?, _ variable: String, default fallback: T) throws -> T {
        if let flag { return flag }
        guard let raw = ProcessInfo.processInfo.environment[variable], !raw.isEmpty else { return fallback }
        guard let parsed = T(argument: raw) else {
            throw ValidationError("environment variable \(variable)=\(raw) is not a valid value")
        }
        return parsed
    }

    static func optional<T: ExpressibleByArgument>(_ flag: T?, _ variable: String) throws -> T? {
        if let flag { return flag }
        guard let raw = ProcessInfo.processInfo.environment[variable], !raw.isEmpty else { return nil }
        guard let parsed = T(argument: raw) else {
            throw ValidationError("environment variable \(variable)=\(raw) is not a valid value")
        }
        return parsed
    }
}
