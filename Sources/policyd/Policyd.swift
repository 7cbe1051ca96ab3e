import ArgumentParser
import PolicyAPI

@main
struct Policyd: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policyd",
        abstract: "Policy control plane: per-network policy runners over HTTP.",
        version: PolicyAPIInfo.version,
        subcommands: [VersionCommand.self, LintCommand.self, EvalCommand.self]
    )
}
