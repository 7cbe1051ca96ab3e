import ArgumentParser
import Foundation
import PolicyLanguage

/// `policyd lint FILE...`: validates and compiles policy documents, printing every problem.
struct LintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Validate and compile policy documents.",
        discussion: "Prints each problem as FILE: rule, field, line:column and message. Exits 0 when every file is valid, 1 otherwise."
    )

    @Argument(help: "Policy documents (JSON).")
    var files: [String]

    func run() throws {
        var allValid = true
        for file in files {
            let lines = Self.lint(file)
            allValid = allValid && lines.isEmpty
            for line in lines { print("\(file): \(line)") }
            if lines.isEmpty { print("\(file): ok") }
        }
        if !allValid { throw ExitCode(1) }
    }

    /// The problems of one file, one line each; empty when it is a valid policy.
    static func lint(_ file: String) -> [String] {
        guard let bytes = FileManager.default.contents(atPath: file) else { return ["cannot read the file"] }
        do {
            _ = try CompiledPolicy(parsing: bytes)
            return []
        } catch {
            return problemLines(error)
        }
    }

    /// One line per problem: `invalid JSON: …` or `rule "x" match 1:14: unknown name prot`.
    static func problemLines(_ error: PolicyLoadError) -> [String] {
        switch error {
        case .invalidJSON(let jsonError): ["invalid JSON: \(jsonError)"]
        case .invalidPolicy(let problems): problems.map(\.description)
        }
    }
}
