import Foundation
import HTTPTestClient
import Testing

private let setpriv = "/usr/bin/setpriv"
private let canDropPrivileges = getuid() == 0 && FileManager.default.isExecutableFile(atPath: setpriv)

/// What the container relies on: `--endpoint-file` for its HEALTHCHECK, and startup errors that
/// name the uid when a mounted file or directory is out of its reach.
@Suite struct ContainerSupportTests {
    @Test func theEndpointFileNamesTheURLTheServerAnswersOnUntilItDrains() throws {
        let dir = temporaryPath("policyd-endpoint")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let endpoint = dir + "/endpoint"
        let server = try PolicydProcess(["serve", "--port", "0", "--data-dir", dir + "/data", "--endpoint-file", endpoint])
        try server.waitReady()
        #expect(try String(contentsOfFile: endpoint, encoding: .utf8) == "http://127.0.0.1:\(server.port)\n")
        server.signal(SIGTERM)
        #expect(server.waitExit() == 0)
        #expect(!FileManager.default.fileExists(atPath: endpoint))
    }

    @Test func aWildcardAddressIsWrittenAsLoopbackFromTheEnvironment() throws {
        let dir = temporaryPath("policyd-endpoint-any")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let endpoint = dir + "/endpoint"
        let server = try PolicydProcess(
            ["serve", "--host", "0.0.0.0", "--port", "0", "--data-dir", dir + "/data", "--allow-unauthenticated"],
            environment: ["POLICYD_ENDPOINT_FILE": endpoint])
        try server.waitReady()
        let url = try String(contentsOfFile: endpoint, encoding: .utf8)
        #expect(url == "http://127.0.0.1:\(server.port)\n")
        server.signal(SIGTERM)
        #expect(server.waitExit() == 0)
    }

    @Test func anUnwritableEndpointFileIsAWarningNotAFailure() throws {
        let dir = temporaryPath("policyd-endpoint-bad")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let server = try PolicydProcess(
            ["serve", "--port", "0", "--data-dir", dir + "/data", "--endpoint-file", dir + "/no/such/dir/endpoint"])
        try server.waitReady()
        #expect(server.output.contains("cannot write the endpoint file"))
        server.signal(SIGTERM)
        #expect(server.waitExit() == 0)
    }

    /// As root the test drops to `nobody` (setpriv), the way the image runs as uid 10001.
    @Test(.enabled(if: canDropPrivileges, "needs root and setpriv to run policyd as another uid"))
    func aTokensFileOrDataDirectoryOutOfReachIsNamedWithTheUid() throws {
        let dir = temporaryPath("policyd-access")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let tokens = dir + "/tokens"
        try "admin \(UUID().uuidString)\n".write(toFile: tokens, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: tokens)
        try FileManager.default.createDirectory(atPath: dir + "/data", withIntermediateDirectories: true)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: dir)
        let asNobody = ["--reuid", "65534", "--regid", "65534", "--clear-groups", policydExecutable]

        let unreadable = try runCapturingStderr(
            setpriv, asNobody + ["serve", "--port", "0", "--data-dir", dir + "/data", "--tokens-file", tokens])
        #expect(unreadable.status != 0)
        #expect(unreadable.stderr.contains("cannot read --tokens-file \(tokens)"))
        #expect(unreadable.stderr.contains("\(tokens) (owner 0:0, mode 0600) is not readable by uid 65534 gid 65534"))

        let unwritable = try runCapturingStderr(setpriv, asNobody + ["serve", "--port", "0", "--data-dir", dir + "/data"])
        #expect(unwritable.status != 0)
        #expect(unwritable.stderr.contains("cannot open data directory"))
        #expect(unwritable.stderr.contains("\(dir)/data (owner 0:0, mode 0755) is not writable by uid 65534 gid 65534"))
    }
}
