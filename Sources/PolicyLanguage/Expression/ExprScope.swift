/// Which variables an expression may name (docs/policy-language.md, "Variables").
public enum ExprScope: Sendable, Hashable {
    /// A rule's `match`, for the rule's event.
    case event(EventKind)
    /// The `match` param of an `evict_where` action, evaluated once per peer.
    case evictWhere
}
