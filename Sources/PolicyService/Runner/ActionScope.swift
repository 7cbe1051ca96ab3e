import PolicyLanguage

/// Where an action event (join, leave, cycle) works: the peer table it changes, and what
/// becomes of its outside-world side effects (log, webhook).
///
/// With the file store that is the runner's own table, effects at once. With a shared store
/// it is a scratch copy of the table as the store holds it, and the effects wait until that
/// copy is committed: a commit retried after a conflict fires nothing twice, and a refused
/// one fires nothing.
struct ActionScope {
    let table: PeerTable
    /// nil: log and webhook fire at once.
    let effects: DeferredEffects?

    init(table: PeerTable, effects: DeferredEffects? = nil) {
        self.table = table
        self.effects = effects
    }
}

/// The log and webhook directives of a computation on a scratch table, kept in order.
final class DeferredEffects {
    fileprivate(set) var pending: [(directive: Directive, peerID: Int, event: EventKind)] = []

    func append(_ directive: Directive, peerID: Int, event: EventKind) {
        pending.append((directive, peerID, event))
    }
}

extension Runner {
    /// Fires the side effects kept while computing a table that is now committed.
    func fire(_ effects: DeferredEffects) {
        for e in effects.pending {
            execute(e.directive, peerID: e.peerID, event: e.event, in: ActionScope(table: peers))
        }
    }
}
