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
            The input is a decision request without "event": peer_id, port, peer_tags, local_tags, \
            sender_rating, size, direction, and optionally network_id, members, peer_age_s (absent fields \
            are zero values). Exits 0 whatever the verdict, 1 when the policy is invalid, 2 on bad usage or input.
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
        let request = try readRequest()
        let decision = compiled.decide(kind, context: request.context)
        var writer = JSONWriter()
        decision.write(to: &writer, networkID: request.context.networkID, generation: 0)
        print(String(decoding: writer.bytes, as: UTF8.self))
    }

    private func readRequest() throws -> EvalInput {
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
            return try EvalInput(json: JSONParser().parse(bytes))
        } catch let error as JSONError {
            usageError("\(name): invalid JSON: \(error)")
        } catch {
            usageError("\(name): \(error)")
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

/// The eval command's input: a decision request without `event`, plus `network_id`,
/// `members` and `peer_age_s`. Absent (or null) fields keep their zero values.
private struct EvalInput {
    struct FieldError: Error, CustomStringConvertible {
        var description: String
    }

    var context = EvalContext()

    init(json: JSONValue) throws(FieldError) {
        guard case .object(let members) = json else { throw FieldError(description: "the input must be a JSON object") }
        for (key, value) in members where value != .null {
            switch key {
            case "peer_id": context.peerID = try Self.int(value, key)
            case "port": context.port = try Self.int(value, key)
            case "network_id": context.networkID = try Self.int(value, key)
            case "members": context.members = try Self.int(value, key)
            case "size": context.size = try Self.int(value, key)
            case "sender_rating": context.senderRating = try Self.number(value, key)
            case "peer_age_s": context.peerAgeS = try Self.number(value, key)
            case "direction": context.direction = try Self.string(value, key)
            case "peer_tags": context.peerTags = try Self.strings(value, key).uniquedKeepingOrder()
            case "local_tags": context.localTags = try Self.strings(value, key)
            default: continue  // `event` and unknown fields are ignored
            }
        }
    }

    private static func int(_ value: JSONValue, _ key: String) throws(FieldError) -> Int {
        guard let number = value.intValue else { throw FieldError(description: "\(key) must be an integer") }
        return number
    }

    private static func number(_ value: JSONValue, _ key: String) throws(FieldError) -> Double {
        guard let number = value.numberValue else { throw FieldError(description: "\(key) must be a number") }
        return number
    }

    private static func string(_ value: JSONValue, _ key: String) throws(FieldError) -> String {
        guard let text = value.stringValue else { throw FieldError(description: "\(key) must be a string") }
        return text
    }

    private static func strings(_ value: JSONValue, _ key: String) throws(FieldError) -> [String] {
        guard let strings = value.stringArrayValue else { throw FieldError(description: "\(key) must be an array of strings") }
        return strings
    }
}

extension Array where Element == String {
    /// The elements without repeats, first occurrences kept in order (as the server unions peer tags).
    fileprivate func uniquedKeepingOrder() -> [String] {
        var seen = Set<String>()
        return filter { seen.insert($0).inserted }
    }
}
