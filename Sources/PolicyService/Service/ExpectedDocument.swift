/// What a write may replace, as its caller states it (the API derives it from If-Match and
/// If-None-Match; the service knows no HTTP).
public enum ExpectedDocument: Sendable {
    /// Whatever is stored, if anything: the write checks nothing.
    case any
    /// Decided on the ETag of the document stored now (nil: none), read for the write under the
    /// network's writer lock: nil lets the write go on, a message refuses it
    /// (`ServiceError.preconditionFailed`). The write then succeeds only if that document is
    /// still the one stored (the etcd store compares its `mod_revision`).
    case checked(@Sendable (_ storedETag: String?) -> String?)
}
