/// Why a tokens file was refused. Messages name the line, never the token on it.
public struct TokensFileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// 1-based line number, or nil for a problem with the whole file.
    public var line: Int?
    public var message: String

    public init(line: Int?, _ message: String) {
        self.line = line
        self.message = message
    }

    public var description: String {
        line.map { "line \($0): \(message)" } ?? message
    }
}
