import ArgumentParser
import Foundation
import PolicyAPI

@main
struct Policyd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policyd",
        abstract: "Policy control plane: per-network policy runners over HTTP.",
        version: PolicyAPI.version,
        subcommands: [ServeCommand.self, LintCommand.self, EvalCommand.self, VersionCommand.self]
    )

    /// As ArgumentParser's, except that bad usage exits 2 (the contract's code), not 64.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            if exitCode(for: error) == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}
