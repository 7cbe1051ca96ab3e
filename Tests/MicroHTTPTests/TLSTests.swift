import Foundation
import HTTPTestClient
import MicroHTTP
import Testing

private let toolsPresent = ["/usr/bin/openssl", "/usr/bin/curl"].allSatisfy { FileManager.default.isExecutableFile(atPath: $0) }

@Suite("HTTPS")
struct TLSTests {
    @Test(.enabled(if: toolsPresent, "needs the openssl and curl command-line tools in /usr/bin"))
    func anHTTPSRequestIsAnsweredWithASelfSignedCertificate() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("microhttp-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let key = directory.appendingPathComponent("k.pem").path
        let certificate = directory.appendingPathComponent("c.pem").path
        let generated = try run(
            "/usr/bin/openssl",
            [
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost", "-days", "1",
                "-keyout", key, "-out", certificate,
            ]
        )
        try #require(generated.status == 0, "openssl could not make a self-signed certificate")

        let responder = ClosureResponder { request in
            text(200, "secure \(request.method) \(request.path) \(String(decoding: request.body, as: UTF8.self))")
        }
        let configure: (inout HTTPServerConfiguration) -> Void = {
            $0.tlsKeyPEM = try? String(contentsOfFile: key, encoding: .utf8)
            $0.tlsCertificatePEM = try? String(contentsOfFile: certificate, encoding: .utf8)
        }
        try withServer(configure, responder: responder) { server in
            let url = "https://127.0.0.1:\(server.port)/tls"
            let get = try run("/usr/bin/curl", ["-sk", url])
            #expect(get.status == 0)
            #expect(get.output == "secure GET /tls ")
            let post = try run("/usr/bin/curl", ["-sk", "-X", "POST", "--data-binary", "body", url])
            #expect(post.output == "secure POST /tls body")
            // Plain HTTP to the TLS port gets no HTTP answer.
            let plain = try run("/usr/bin/curl", ["-s", "--max-time", "5", "http://127.0.0.1:\(server.port)/tls"])
            #expect(plain.status != 0)
        }
    }
}
