import ArgumentParser
import PolicyAPI

@main
struct Policyd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policyd",
        abstract: "Policy control plane: per-network policy runners over HTTP.",
        version: PolicyAPI.version,
        subcommands: [ServeCommand.self, LintCommand.self, EvalCommand.self, VersionCommand.self]
    )
}
