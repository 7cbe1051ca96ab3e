import ArgumentParser
import PolicyAPI

struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "version", abstract: "Print the version.")

    func run() throws {
        print(PolicyAPI.version)
    }
}
