/// A failure of the policy store: file system work (with the path and errno text), a
/// write whose expected document changed meanwhile, or a shared store out of reach.
public struct StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// Reading or writing local files failed.
        case io
        /// The document changed since the precondition was checked; nothing was written.
        case conflict
        /// The shared store did not answer in time; nothing is known to be written.
        case unavailable
    }

    public var kind: Kind
    public var message: String

    public init(_ message: String, kind: Kind = .io) {
        self.message = message
        self.kind = kind
    }

    public var description: String { message }
}
