import ArgumentParser
import Foundation
import PolicyAPI
import PolicyLanguage

/// `policyd eval --policy FILE --event EVENT [--input FILE|-]`: one gate decision, printed as the API's Decision JSON.
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Evaluate one gate event against a policy and print the decision.",
        discussion: """
            The input is a decision request as the API takes it (same fields, ranges and errors) without \
            "event": peer_id, port, peer_tags, local_tags, sender_rating, size, direction, and optionally \
            network_id (1..65535), members, peer_age_s (absent fields are zero values). Exits 0 whatever the \
            verdict, 1 when the policy is invalid, 2 on bad usage or input.
            """
    )

    // Optional so that a missing one exits with 2, as the contract wants, rather than the parser's 64.
    @Option(help: "The policy document (JSON). Required.")
    var policy: String?

    @Option(help: "The gate event: connect, dial or datagram. Required.")
    var event: String?

    @Option(help: "The request JSON file; '-' or absent reads standard input.")
    var input: String = "-"

    // Collected rather than left to the parser, whose usage errors exit with 64.
    @Argument(parsing: .allUnrecognized, help: .hidden)
    var unrecognized: [String] = []

    func run() throws {
        if let first = unrecognized.first { usageError("unexpected argument \"\(first)\"") }
        guard let policy, let event else { usageError("--policy and --event are required") }
        guard let kind = EventKind(rawValue: event), kind.isGate else {
            usageError("--event must be connect, dial or datagram, got \"\(event)\"")
        }
        guard let policyBytes = FileManager.default.contents(atPath: policy) else {
            usageError("\(policy): cannot read the file")
        }
        let compiled: CompiledPolicy
        do {
            compiled = try CompiledPolicy(parsing: policyBytes)
        } catch {
            for line in LintCommand.problemLines(error) { printError("\(policy): \(line)") }
            throw ExitCode(1)
        }
        let request = readRequest(kind)
        let decision = compiled.decide(kind, context: request.context)
        var writer = JSONWriter()
        decision.write(to: &writer, networkID: request.networkID, generation: 0)
        print(String(decoding: writer.bytes, as: UTF8.self))
    }

    /// The input, read by the API's own DecisionRequest reader: same fields, ranges and messages.
    private func readRequest(_ event: EventKind) -> StandaloneDecisionRequest {
        let name = input == "-" ? "standard input" : input
        let bytes: [UInt8]
        if input == "-" {
            bytes = Array(FileHandle.standardInput.readDataToEndOfFile())
        } else if let data = FileManager.default.contents(atPath: input) {
            bytes = Array(data)
        } else {
            usageError("\(input): cannot read the file")
        }
        do {
            return try StandaloneDecisionRequest(json: bytes, event: event)
        } catch {
            usageError("\(name): \(error.message)")
        }
    }

    private func usageError(_ message: String) -> Never {
        printError("policyd eval: \(message)")
        Self.exit(withError: ExitCode(2))
    }

    private func printError(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }
}
