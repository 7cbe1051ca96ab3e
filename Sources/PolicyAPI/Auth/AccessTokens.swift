import Crypto

/// The bearer tokens of a tokens file, each with its role, kept only as SHA-256 digests.
///
/// Looking a token up hashes it and compares it with every digest, byte by byte without an
/// early exit, so the time taken does not depend on how much of a token was right.
public struct AccessTokens: Sendable {
    /// Shortest token accepted: shorter ones are too easy to guess.
    public static let minimumLength = 16

    struct Entry: Sendable {
        var role: Role
        var digest: [UInt8]
    }

    let entries: [Entry]

    /// Parses a tokens file: one `role token` pair per line (roles `admin`, `reader`);
    /// blank lines and lines starting with `#` are skipped.
    public init(parsing contents: String) throws(TokensFileError) {
        var entries: [Entry] = []
        // `isNewline` also splits at "\r\n", which Swift reads as one character.
        for (index, rawLine) in contents.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let line = rawLine.trimmingSpaces
            if line.isEmpty || line.first == "#" { continue }
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard fields.count == 2 else {
                throw TokensFileError(line: index + 1, "expected `role token`, found \(fields.count) fields")
            }
            guard let role = Role(rawValue: String(fields[0])) else {
                throw TokensFileError(line: index + 1, "unknown role (expected admin or reader)")
            }
            let token = fields[1]
            guard token.utf8.count >= Self.minimumLength else {
                throw TokensFileError(line: index + 1, "token shorter than \(Self.minimumLength) characters")
            }
            guard token.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
                throw TokensFileError(line: index + 1, "token must be printable ASCII without spaces")
            }
            let digest = Self.digest(token)
            guard !entries.contains(where: { $0.digest == digest }) else {
                throw TokensFileError(line: index + 1, "the same token appears twice")
            }
            entries.append(Entry(role: role, digest: digest))
        }
        guard !entries.isEmpty else { throw TokensFileError(line: nil, "no tokens (one `role token` pair per line)") }
        self.entries = entries
    }

    /// How many tokens there are of each role.
    public func count(_ role: Role) -> Int { entries.filter { $0.role == role }.count }

    /// The role of `token`, or nil when it is not one of the file's.
    public func role(of token: some StringProtocol) -> Role? {
        Self.hash(token).withUnsafeBytes { presented in
            var found: Role?
            for entry in entries {
                var difference: UInt8 = 0
                for i in 0..<presented.count { difference |= presented[i] ^ entry.digest[i] }
                if difference == 0 { found = entry.role }
            }
            return found
        }
    }

    static func digest(_ token: some StringProtocol) -> [UInt8] {
        Array(hash(token))
    }

    /// SHA-256 of the token's UTF-8, hashed in place when its bytes are contiguous (a
    /// header's substring is): no copies per request.
    private static func hash(_ token: some StringProtocol) -> SHA256.Digest {
        let inPlace = token.utf8.withContiguousStorageIfAvailable { bytes in
            var hasher = SHA256()
            hasher.update(bufferPointer: UnsafeRawBufferPointer(bytes))
            return hasher.finalize()
        }
        return inPlace ?? SHA256.hash(data: Array(token.utf8))
    }
}
