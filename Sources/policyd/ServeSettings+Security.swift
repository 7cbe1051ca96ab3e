import ArgumentParser
import Foundation
import Logging
import MicroHTTP
import PolicyAPI

extension ServeSettings {
    /// Tokens, the loopback rule and TLS files.
    mutating func resolveSecurity(_ c: ServeCommand) throws {
        if let path = try EnvironmentDefault.optional(c.tokensFile, "POLICYD_TOKENS_FILE") {
            tokens = try Self.readTokens(path)
        }
        allowUnauthenticated = try EnvironmentDefault.value(
            c.allowUnauthenticated ? true : nil, "POLICYD_ALLOW_UNAUTHENTICATED", default: false)
        if tokens == nil, !allowUnauthenticated, !Self.isLoopback(http.host) {
            throw ValidationError(
                "refusing to serve /v1 without authentication on \(http.host): pass --tokens-file, "
                    + "or --allow-unauthenticated to accept that anyone who can reach it may change policies")
        }
        let certificate = try EnvironmentDefault.optional(c.tlsCert, "POLICYD_TLS_CERT")
        let key = try EnvironmentDefault.optional(c.tlsKey, "POLICYD_TLS_KEY")
        guard (certificate == nil) == (key == nil) else {
            throw ValidationError("--tls-cert and --tls-key must be given together")
        }
        if let certificate, let key {
            http.tlsCertificatePEM = try Self.readPEM(certificate, flag: "--tls-cert")
            http.tlsKeyPEM = try Self.readPEM(key, flag: "--tls-key")
        }
    }

    /// Logs how /v1 is protected (role counts, never tokens) and warns when it is not.
    func logSecurity(_ logger: Logger) {
        if let tokens {
            logger.info(
                "bearer token authentication on /v1",
                metadata: ["admin_tokens": "\(tokens.count(.admin))", "reader_tokens": "\(tokens.count(.reader))"])
        } else {
            logger.warning(
                "serving /v1 WITHOUT authentication: anyone who can reach this address may change policies",
                metadata: ["host": "\(http.host)", "hint": "pass --tokens-file"])
        }
    }

    static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host == "0:0:0:0:0:0:0:1" || host.hasPrefix("127.")
    }

    private static func readTokens(_ path: String) throws -> AccessTokens {
        let contents: String
        do {
            contents = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ValidationError("cannot read --tokens-file \(path): \(error.localizedDescription)" + hint(path))
        }
        do {
            return try AccessTokens(parsing: contents)
        } catch {
            throw ValidationError("--tokens-file \(path): \(error)")
        }
    }

    /// "; <who may not read it>" when permissions are why a file could not be read.
    private static func hint(_ path: String) -> String {
        AccessHint.describe(path, needs: .read).map { "; " + $0 } ?? ""
    }

    private static func readPEM(_ path: String, flag: String) throws -> String {
        do {
            let pem = try String(contentsOfFile: path, encoding: .utf8)
            guard pem.contains("-----BEGIN ") else { throw ValidationError("\(flag) \(path) is not a PEM file") }
            return pem
        } catch let error as ValidationError {
            throw error
        } catch {
            throw ValidationError("cannot read \(flag) \(path): \(error.localizedDescription)" + hint(path))
        }
    }
}
